package dev.runbus.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.Mode;
import dev.runbus.Run;
import dev.runbus.RunResult;
import dev.runbus.Runbus;
import dev.runbus.Settings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An online run's system metrics reach a real {@code runbus server} (the packaged jar, on
 * loopback) as {@code wandb-events.jsonl} lines through the FileStream, under W&B's {@code system.}
 * keys, each line marked {@code _wandb} with its time and runtime.
 */
class OnlineStatsIT {

  @TempDir Path dir;

  @Test
  void statsLandAsEventsLines() throws Exception {
    try (OnlineServer server = OnlineServer.start(dir, 0)) {
      Run run =
          Runbus.init(
              Settings.builder()
                  .environment(Map.of())
                  .dir(dir.resolve("client"))
                  .mode(Mode.ONLINE)
                  .baseUrl(server.serverUrl())
                  .apiKey(server.key().key())
                  .project(OnlineServer.PROJECT)
                  .runId("statsonline")
                  .quiet(true)
                  .statsSampleInterval(Duration.ofMillis(500))
                  .statsInterval(Duration.ofSeconds(2))
                  .build());
      long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      for (int step = 0; System.nanoTime() < end; step++) {
        run.log(Map.of("loss", 1.0 / (step + 1)));
        Thread.sleep(5);
      }
      RunResult result = run.finish();
      assertTrue(result.uploaded(), result.notUploaded());

      JsonArray lines = server.reader("statsonline").events().getJsonArray("lines");
      // about one line per 2 s over 5 s, plus the partial one at finish
      assertTrue(lines.size() >= 2, lines.encodePrettily());
      for (int i = 0; i < lines.size(); i++) {
        JsonObject values = lines.getJsonObject(i).getJsonObject("values");
        for (String key :
            new String[] {
              "system.cpu", "system.memory", "system.proc.memory.rssMB", "system.disk",
              "system.network.sent", "system.jvm.heap.usedMB", "system.cpu.0.cpu_percent"
            }) {
          assertTrue(values.containsKey(key), key + " missing from " + values);
        }
        assertEquals(true, values.getBoolean("_wandb"), values.encode());
        assertTrue(values.getDouble("_runtime") >= 0, values.encode());
        assertTrue(values.getDouble("_timestamp") > 1.7e9, values.encode());
      }
    }
  }
}
