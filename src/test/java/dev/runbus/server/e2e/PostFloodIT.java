package dev.runbus.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.testing.ServerProcess;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of the largest FileStream posts W&B's clients send (about 9 MiB each), many at once, at
 * a server limited to a 256 MiB heap: every post is answered 200 or 429 (come back later), the
 * server stays up, and exactly the posts answered 200 are stored. The in-flight bound, not the
 * heap, decides how many are taken at once.
 */
class PostFloodIT {
  private static final int CLIENTS = 24;
  private static final int ROUNDS = 2;
  private static final int LINES = 28_000; // ~330 bytes each: about 9 MiB a post

  @TempDir Path dir;

  @Test
  void aFloodOfLargePostsIsTakenOrRefusedNeverFatal() throws Exception {
    Path data = dir.resolve("data");
    String key = ServerProcess.createKey(data, null, "alice");
    try (ServerProcess server = ServerProcess.start(data, null);
        WandbShapedClient client = new WandbShapedClient(server.url(), key)) {
      for (int c = 0; c < CLIENTS; c++) {
        client.upsertRun(null, "flood", "run" + c, null);
      }
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<Integer>> accepted = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        String run = "run" + c;
        accepted.add(
            pool.submit(
                () -> {
                  int taken = 0;
                  for (int round = 0; round < ROUNDS; round++) {
                    JsonObject post =
                        HistoryLines.historyPost((long) taken * LINES, LINES, 10, false);
                    HttpResponse<Buffer> answer = client.fileStream("alice", "flood", run, post, false);
                    int status = answer.statusCode();
                    assertTrue(status == 200 || status == 429, status + ": " + answer.bodyAsString());
                    if (status == 429) {
                      assertTrue(answer.getHeader("Retry-After") != null, "429 without Retry-After");
                    } else {
                      taken++;
                    }
                  }
                  return taken;
                }));
      }
      int[] taken = new int[CLIENTS];
      for (int c = 0; c < CLIENTS; c++) {
        taken[c] = accepted.get(c).get();
      }
      pool.shutdown();

      assertEquals(200, client.get("/healthz").statusCode(), "the server survived the flood");
      int total = 0;
      for (int c = 0; c < CLIENTS; c++) {
        JsonObject run = client.get("/api/v1/entities/alice/projects/flood/runs/run" + c).bodyAsJsonObject();
        assertEquals((long) taken[c] * LINES, run.getLong("historyLineCount"), "run" + c);
        total += taken[c];
      }
      assertTrue(total > 0, "some posts were taken");
      // more was sent at once than the in-flight bound holds: the bound, not luck, was tested
      assertTrue(total < CLIENTS * ROUNDS, "no post was refused: the flood never reached the bound");
      assertTrue(server.output().indexOf("OutOfMemoryError") < 0, server.output());
    }
  }
}
