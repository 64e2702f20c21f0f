package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that closes its Vert.x right after finish() returns (the end of a job) sees no
 * error: finish() returns once the run's stream is closed, so the host's own undeployment does not
 * race runbus's and Vert.x has nothing to complain about ("Already undeployed").
 */
@Timeout(120)
class HostCloseAfterFinishTest {

  @TempDir Path dir;

  @Test
  void closingTheHostRightAfterFinishLogsNothingSevere() throws Exception {
    List<String> severe = new CopyOnWriteArrayList<>();
    Handler watch =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
              severe.add(
                  record.getMessage()
                      + (record.getThrown() == null ? "" : ": " + record.getThrown()));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    root.addHandler(watch);
    try {
      for (int round = 0; round < 5; round++) {
        Vertx host = Vertx.vertx();
        Run run = Runbus.init(host, RunLogs.quietOffline(dir.resolve("r" + round)).build());
        run.log(Map.of("ok", 1));
        run.finish();
        host.close().await(10, TimeUnit.SECONDS);
      }
    } finally {
      root.removeHandler(watch);
    }
    assertEquals(List.of(), severe);
  }
}
