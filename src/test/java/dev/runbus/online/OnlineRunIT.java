package dev.runbus.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.ReadApiClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our client against our server, in two JVMs on loopback: a 20,000-row online run (3 metrics), a
 * config and a summary, finished with exit code 0, read back from the server row by row with its
 * files, as the first acceptance line asks.
 */
class OnlineRunIT {
  private static final int ROWS = 20_000;
  private static final int METRICS = 3;
  private static final String RUN = "online-run";

  @TempDir Path dir;

  @Test
  @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
  void everyRowConfigSummaryExitCodeAndFileReachTheServerOnce() throws Exception {
    try (OnlineServer server = OnlineServer.start(dir, 1_000);
        ChildProcess client =
            server.child(
                dir.resolve("client"), RUN, METRICS, server.clientUrl(), List.of("-Xmx256m"),
                Duration.ofMinutes(2))) {
      client.await("LOG ", Duration.ofSeconds(60));
      assertEquals("ONLINE", client.await("MODE ", Duration.ofSeconds(10)));
      client.send("log " + ROWS);
      client.await("LOGGED ", Duration.ofSeconds(60));
      client.send("finish 0");
      JsonObject result = new JsonObject(client.await("RESULT ", Duration.ofMinutes(3)));
      assertEquals(0, client.exitCode(Duration.ofSeconds(60)), client.output());
      System.out.println(client.output()); // when each step happened, for the CI log

      assertEquals(true, result.getBoolean("uploaded"), result.encodePrettily());
      assertEquals("", result.getString("notUploaded"));
      assertTrue(result.getString("runUrl").contains(RUN), result.getString("runUrl"));

      ReadApiClient reader = server.reader(RUN);
      JsonObject run = reader.run();
      assertNotNull(run, "the server has the run");
      assertEquals("finished", run.getString("state"), run.encodePrettily());
      assertEquals(0, run.getInteger("exitCode"));
      assertEquals(ROWS, run.getLong("historyLineCount"));
      JsonObject config = run.getJsonObject("config");
      assertEquals(0.01, config.getJsonObject("lr").getDouble("value"), 0.0, config.encode());
      assertEquals(3, config.getJsonObject("layers").getInteger("value"));
      assertEquals("adam", config.getJsonObject("optimizer").getString("value"));
      JsonObject summary = run.getJsonObject("summary");
      assertEquals(Rows.value(ROWS - 1, 0), summary.getDouble("best_m0"), 0.0, summary.encode());
      for (int m = 0; m < METRICS; m++) {
        assertEquals(Rows.value(ROWS - 1, m), summary.getDouble("m" + m), 0.0, "last m" + m);
      }
      assertEquals(ROWS - 1, summary.getLong("_step"));

      Path files = Path.of(result.getString("dir")).resolve("files");
      for (String name : List.of("config.yaml", "wandb-summary.json", "wandb-metadata.json")) {
        String stored = reader.file(name);
        assertNotNull(stored, name + " on the server");
        assertEquals(Files.readString(files.resolve(name)), stored, name + " as on the client's disk");
      }
      assertTrue(reader.file("config.yaml").contains("optimizer"));
      assertEquals(
          Rows.value(ROWS - 1, 0),
          new JsonObject(reader.file("wandb-summary.json")).getDouble("best_m0"),
          0.0);

      Rows.assertEveryRowOnce(reader, ROWS, METRICS);
    }
  }
}
