package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.ServerLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the server: no new connections, but a post already in flight is answered and stored. */
@ExtendWith(VertxExtension.class)
class ShutdownTest {

  @TempDir Path data;

  @Test
  void aPostInFlightWhenStoppingIsAnsweredAndStored(Vertx vertx) throws Exception {
    ServerFixture server =
        ServerFixture.start(
            vertx,
            data,
            limits ->
                new ServerLimits(
                    limits.maxInFlightBytes(),
                    limits.maxInFlightPosts(),
                    limits.uploadUrlTtl(),
                    limits.dbWorkers(),
                    Duration.ofSeconds(60),
                    limits.crashAfter()));
    HttpClient http = vertx.createHttpClient();
    try {
      HttpClientRequest held = server.openFileStreamPost(http);
      server.awaitPostsInFlight(1);

      Future<Void> stopping = server.server.stop();
      assertFalse(stopping.isComplete(), "the server waits for the post in flight");

      // the server takes no new connection while the post is still arriving
      HttpClient fresh = vertx.createHttpClient();
      boolean refusing = false;
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!refusing && System.nanoTime() < until) {
        refusing =
            ServerFixture.await(
                fresh
                    .request(HttpMethod.GET, server.server.port(), "127.0.0.1", "/healthz")
                    .compose(r -> r.send())
                    .transform(r -> Future.succeededFuture(r.failed())));
      }
      fresh.close();
      assertTrue(refusing, "new connections are refused while stopping");
      assertFalse(stopping.isComplete());

      held.end(ServerFixture.historyPost(0, 5).getJsonObject("files").encode() + "}");
      // the body handler is set on the event loop as the response arrives, before its bytes
      int status =
          ServerFixture.await(
              held.response().compose(r -> r.body().map(body -> r.statusCode())));
      assertEquals(200, status);
      ServerFixture.await(stopping);
      assertEquals(5, server.stored().historyLineCount());

      Future<HttpClientResponse> late =
          vertx.createHttpClient()
              .request(HttpMethod.GET, server.server.port(), "127.0.0.1", "/healthz")
              .compose(r -> r.send());
      boolean failed = ServerFixture.await(late.transform(r -> Future.succeededFuture(r.failed())));
      assertTrue(failed, "a stopped server takes no new request");
    } finally {
      http.close();
      server.store.close();
    }
  }
}
