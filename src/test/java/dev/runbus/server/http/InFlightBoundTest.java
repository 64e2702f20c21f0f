package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Load shedding: past the in-flight bound a post gets 429 and Retry-After, unread. */
@ExtendWith(VertxExtension.class)
class InFlightBoundTest {

  @TempDir Path data;
  private ServerFixture server;
  private HttpClient http;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    server = ServerFixture.start(vertx, data, limits -> limits.withMaxInFlightPosts(2));
    http = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    server.close();
  }

  private HttpClientRequest openPost() {
    return server.openFileStreamPost(http);
  }

  private void awaitInFlight(int posts) {
    server.awaitPostsInFlight(posts);
  }

  private static Future<Buffer> finish(HttpClientRequest request, long offset) {
    String rest =
        ServerFixture.historyPost(offset, 1).getJsonObject("files").encode() + "}";
    request.end(rest);
    return request.response().compose(HttpClientResponse::body);
  }

  @Test
  void aPostPastTheBoundIs429WithRetryAfterAndBusyAnswersSlowClientsDown() {
    HttpClientRequest first = openPost();
    HttpClientRequest second = openPost();
    awaitInFlight(2);

    HttpResponse<Buffer> refused =
        server.send(server.fileStream(server.alice.key()), ServerFixture.historyPost(0, 1));
    assertEquals(429, refused.statusCode(), refused.bodyAsString());
    assertEquals("2", refused.getHeader("Retry-After"));
    assertTrue(refused.bodyAsJsonObject().getString("error").contains("busy"), refused.bodyAsString());

    // answered while the bound is more than half used: W&B 0.16 is told to post less often
    Buffer busy = ServerFixture.await(finish(first, 0));
    assertEquals(
        FileStreamHandler.BUSY_HEARTBEAT_SECONDS,
        busy.toJsonObject().getJsonObject("limits").getInteger("heartbeat_seconds"),
        busy.toString());
    awaitInFlight(1);
    Buffer calm = ServerFixture.await(finish(second, 1));
    assertEquals(
        FileStreamHandler.HEARTBEAT_SECONDS,
        calm.toJsonObject().getJsonObject("limits").getInteger("heartbeat_seconds"));
    awaitInFlight(0);

    assertEquals(
        200,
        server.send(server.fileStream(server.alice.key()), ServerFixture.historyPost(2, 1)).statusCode());
    assertEquals(3, server.stored().historyLineCount());
  }
}
