package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose client stops posting without completing (its process was killed) is marked crashed
 * by the running server, and is alive again when it posts.
 */
@ExtendWith(VertxExtension.class)
class SilentRunTest {

  @TempDir Path data;

  @Test
  void theServerMarksASilentRunCrashedAndAPostRevivesIt(Vertx vertx) throws Exception {
    try (ServerFixture server =
        ServerFixture.start(vertx, data, limits -> limits.withCrashAfter(Duration.ofSeconds(1)))) {
      assertEquals(200, server.send(server.fileStream(server.alice.key()), ServerFixture.historyPost(0, 5)).statusCode());
      assertEquals("running", server.stored().state());

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!server.stored().state().equals("crashed") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals("crashed", server.stored().state());

      assertEquals(200, server.send(server.fileStream(server.alice.key()), ServerFixture.historyPost(5, 5)).statusCode());
      assertEquals("running", server.stored().state());
      assertEquals(10, server.stored().historyLineCount());
    }
  }
}
