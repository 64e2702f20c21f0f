package dev.runbus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault the proxy injects is what a client sees, and the server sees what it should. */
class FaultProxyTest {
  private Vertx vertx;
  private HttpServer target;
  private final AtomicInteger targetRequests = new AtomicInteger();
  private FaultProxy proxy;
  private WebClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    target =
        vertx
            .createHttpServer()
            .requestHandler(
                r ->
                    r.body()
                        .onSuccess(
                            body -> {
                              targetRequests.incrementAndGet();
                              r.response().putHeader("X-Echo", "yes").end("echo:" + body);
                            }))
            .listen(0, "127.0.0.1")
            .await(30, TimeUnit.SECONDS);
    proxy = FaultProxy.start(vertx, target.actualPort(), 300);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    proxy.close();
    vertx.close().await();
  }

  private HttpResponse<Buffer> post(String body) {
    return client.post(proxy.port(), "127.0.0.1", "/x").sendBuffer(Buffer.buffer(body)).await();
  }

  @Test
  void eachFaultInTurnThenEverythingPasses() {
    proxy
        .next(FaultProxy.Fault.SERVER_ERROR, 1)
        .next(FaultProxy.Fault.TOO_MANY_REQUESTS, 1)
        .next(FaultProxy.Fault.STALL, 1);

    assertEquals(500, post("a").statusCode());
    HttpResponse<Buffer> slowDown = post("b");
    assertEquals(429, slowDown.statusCode());
    assertEquals("1", slowDown.getHeader("Retry-After"));
    HttpResponse<Buffer> stalled = post("c");
    assertEquals("echo:c", stalled.bodyAsString());
    HttpResponse<Buffer> passed = post("d");
    assertEquals(200, passed.statusCode());
    assertEquals("echo:d", passed.bodyAsString());
    assertEquals("yes", passed.getHeader("X-Echo"));

    assertEquals(2, targetRequests.get(), "the injected answers never reached the server");
    assertEquals(4, proxy.seen());
  }

  @Test
  void droppedConnectionsFailTheRequestAndTheServerSeesOnlyTheDroppedAnswer() {
    proxy.next(FaultProxy.Fault.DROP_REQUEST, 1).next(FaultProxy.Fault.DROP_RESPONSE, 1);

    assertThrows(RuntimeException.class, () -> post("lost before"));
    assertEquals(0, targetRequests.get());
    assertThrows(RuntimeException.class, () -> post("lost after"));
    assertEquals(1, targetRequests.get(), "the server handled the request whose answer was lost");
    assertEquals("echo:ok", post("ok").bodyAsString());
  }

  @Test
  void aTargetedFaultWaitsForItsPathAndAHoldDelaysEveryRequestUntilItEnds() {
    proxy.nextOn("/stream", FaultProxy.Fault.UNAUTHORIZED, 1);
    assertEquals(200, post("a").statusCode(), "another path passes the fault by");
    assertEquals(
        401,
        client.post(proxy.port(), "127.0.0.1", "/x/stream").sendBuffer(Buffer.buffer("b")).await().statusCode());
    assertEquals(1, proxy.seen("/stream"));
    assertEquals(List.of("POST /x", "POST /x/stream"), proxy.requests());

    proxy.holdFor(400);
    long start = System.nanoTime();
    assertEquals("echo:c", post("c").bodyAsString());
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "held");
    assertEquals(2, targetRequests.get());
  }
}
