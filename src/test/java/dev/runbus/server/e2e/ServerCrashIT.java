package dev.runbus.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.testing.ServerProcess;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kill -9} of the server in the middle of ingestion, then a restart on the same data: every
 * row the server acknowledged is there, and the client's re-sent batches (the same offsets, as a
 * W&B client resends after a failed request) add nothing twice.
 */
class ServerCrashIT {
  private static final int PER_POST = 500;
  private static final int METRICS = 10;

  @TempDir Path dir;

  static List<Named<String>> databases() throws Exception {
    return Databases.all();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aKilledServerKeepsEveryAcknowledgedRowAndStoresResentOnesOnce(String db) throws Exception {
    Path data = dir.resolve("data");
    String key = ServerProcess.createKey(data, db, "alice");
    AtomicLong acknowledged = new AtomicLong(); // rows below this offset were answered 200
    ServerProcess first = ServerProcess.start(data, db);
    try (WandbShapedClient client = new WandbShapedClient(first.url(), key)) {
      client.upsertRun(null, "crash", "run1", null);
      Thread poster =
          new Thread(
              () -> {
                try {
                  for (long offset = 0; ; offset += PER_POST) {
                    HttpResponse<Buffer> answer =
                        client.fileStream(
                            "alice",
                            "crash",
                            "run1",
                            HistoryLines.historyPost(offset, PER_POST, METRICS, true),
                            false);
                    if (answer.statusCode() != 200) {
                      return;
                    }
                    acknowledged.set(offset + PER_POST);
                  }
                } catch (RuntimeException connectionLost) {
                  // the server died mid-request: that post was not acknowledged
                }
              });
      poster.start();
      while (acknowledged.get() < 20 * PER_POST) {
        Thread.sleep(5);
      }
      first.kill();
      poster.join(60_000);
      assertTrue(!poster.isAlive(), "the poster noticed the dead server");
    }
    long acked = acknowledged.get();
    assertTrue(acked >= 20 * PER_POST);

    try (ServerProcess second = ServerProcess.start(data, db);
        WandbShapedClient client = new WandbShapedClient(second.url(), key)) {
      String run = "/api/v1/entities/alice/projects/crash/runs/run1";
      long stored = client.get(run).bodyAsJsonObject().getLong("historyLineCount");
      assertTrue(stored >= acked, "stored " + stored + " of " + acked + " acknowledged rows");
      // the client re-sends the last acknowledged batch (its answer might have been lost) and the
      // one in flight, then goes on: nothing may be stored twice
      long end = acked + 4L * PER_POST;
      for (long offset = acked - PER_POST; offset < end; offset += PER_POST) {
        assertEquals(
            200,
            client
                .fileStream(
                    "alice",
                    "crash",
                    "run1",
                    HistoryLines.historyPost(offset, PER_POST, METRICS, true),
                    false)
                .statusCode());
      }
      JsonObject complete = new JsonObject().put("complete", true).put("exitcode", 0);
      assertEquals(200, client.fileStream("alice", "crash", "run1", complete, false).statusCode());

      String[] lines = client.get(run + "/history?keys=m0").bodyAsString().split("\n");
      assertEquals(end, lines.length);
      for (int step = 0; step < end; step++) {
        JsonObject row = new JsonObject(lines[step]);
        assertEquals(step, row.getLong("_step"), "row " + step);
        assertEquals(HistoryLines.value(step, 0), row.getDouble("m0"), 0.0);
      }
      assertEquals("finished", client.get(run).bodyAsJsonObject().getString("state"));
    }
    assertTrue(Files.isDirectory(data));
  }
}
