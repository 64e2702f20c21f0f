package dev.runbus.online;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.ReadApiClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory line: an online run of 1,000,000 rows of 10 floats, in a JVM of 96 MiB heap,
 * logged while the server answers nothing for 30 s (every request held by the proxy), completes,
 * and the server holds every row once. What the FileStream has not sent must come back from the
 * log on disk, not wait in the heap: rows in memory would need several times that heap.
 */
class StalledServerMemoryIT {
  private static final int ROWS = 1_000_000;
  private static final int METRICS = 10;
  private static final String RUN = "stalled";

  @TempDir Path dir;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aMillionRowsUnder96MiBThroughA30SecondStall() throws Exception {
    try (OnlineServer server = OnlineServer.start(dir, 1_000);
        ChildProcess client =
            server.child(
                dir.resolve("client"), RUN, METRICS, server.clientUrl(),
                List.of("-Xmx96m", "-XX:+ExitOnOutOfMemoryError"), Duration.ofMinutes(4))) {
      ReadApiClient reader = server.reader(RUN);
      client.await("LOG ", Duration.ofSeconds(60));
      client.send("log 10");
      client.await("LOGGED ", Duration.ofSeconds(60));
      reader.awaitHistory(10, Duration.ofSeconds(60)); // the FileStream is under way

      server.proxy().holdFor(30_000);
      client.send("log " + (ROWS - 10));
      client.await("LOGGED ", Duration.ofMinutes(2));
      client.send("finish 0");
      JsonObject result = new JsonObject(client.await("RESULT ", Duration.ofMinutes(4)));
      assertEquals(0, client.exitCode(Duration.ofSeconds(60)), client.output());
      assertEquals(true, result.getBoolean("uploaded"), result.encodePrettily());

      assertEquals("finished", reader.run().getString("state"));
      assertEquals(ROWS, reader.historyLineCount());
      Rows.assertEveryRowOnce(reader, ROWS, METRICS, "m0,m4,m9");
    }
  }
}
