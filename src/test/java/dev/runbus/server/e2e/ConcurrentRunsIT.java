package dev.runbus.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runbus.testing.ServerProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty runs logging at once into one server, half in v0.16's shapes and half in wandb-core's
 * (gzip bodies, Go-encoded lines): every run gets exactly its own rows, nothing lost or mixed.
 */
class ConcurrentRunsIT {
  private static final int RUNS = 20;
  private static final int POSTS = 15;
  private static final int PER_POST = 200;

  @TempDir Path dir;

  @Test
  void twentyRunsAtOnceKeepTheirOwnRows() throws Exception {
    Path data = dir.resolve("data");
    String key = ServerProcess.createKey(data, null, "team");
    try (ServerProcess server = ServerProcess.start(data, null);
        WandbShapedClient client = new WandbShapedClient(server.url(), key)) {
      ExecutorService pool = Executors.newFixedThreadPool(RUNS);
      List<Future<?>> runs = new ArrayList<>();
      for (int r = 0; r < RUNS; r++) {
        int run = r;
        boolean core = r % 2 == 1;
        runs.add(
            pool.submit(
                () -> {
                  String name = "run" + run;
                  client.upsertRun(null, "many", name, null);
                  for (int p = 0; p < POSTS; p++) {
                    JsonObject post = HistoryLines.historyPost((long) p * PER_POST, PER_POST, run + 1, core);
                    assertEquals(200, client.fileStream("team", "many", name, post, core).statusCode());
                  }
                  JsonObject complete = new JsonObject().put("complete", true).put("exitcode", run % 3 == 0 ? 1 : 0);
                  assertEquals(200, client.fileStream("team", "many", name, complete, core).statusCode());
                  return null;
                }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
      pool.shutdown();

      for (int r = 0; r < RUNS; r++) {
        String path = "/api/v1/entities/team/projects/many/runs/run" + r;
        JsonObject run = client.get(path).bodyAsJsonObject();
        assertEquals(r % 3 == 0 ? "failed" : "finished", run.getString("state"), "run" + r);
        String[] lines = client.get(path + "/history").bodyAsString().split("\n");
        assertEquals(POSTS * PER_POST, lines.length, "run" + r);
        for (int step = 0; step < lines.length; step++) {
          JsonObject row = new JsonObject(lines[step]);
          assertEquals(step, row.getLong("_step"), "run" + r + " row " + step);
          // run r logs r + 1 metrics: a row with another count came from another run
          assertEquals(r + 1, row.fieldNames().stream().filter(k -> k.startsWith("m")).count(), "run" + r + " row " + step);
          assertEquals(HistoryLines.value(step, r), row.getDouble("m" + r), 0.0);
        }
      }
    }
  }
}
