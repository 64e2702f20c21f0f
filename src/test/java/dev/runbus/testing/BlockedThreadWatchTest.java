package dev.runbus.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockedThreadWatchTest {

  @Test
  void anEventLoopHeldPastTheLimitFailsTheTestItHappenedIn() throws Exception {
    BlockedThreadWatch watch = new BlockedThreadWatch();
    watch.beforeEach(null);
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setBlockedThreadCheckInterval(50)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(100)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      vertx
          .runOnContext(
              ignored -> {
                try {
                  Thread.sleep(600); // deliberately on the event loop
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      Thread.sleep(900);
    } finally {
      vertx.close().await();
    }
    AssertionError failure = assertThrows(AssertionError.class, () -> watch.afterEach(null));
    assertTrue(failure.getMessage().contains("blocked"), failure.getMessage());
    // and the next test starts clean
    watch.beforeEach(null);
    assertDoesNotThrow(() -> watch.afterEach(null));
  }
}
