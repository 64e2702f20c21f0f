package dev.runbus.filestream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.FileStreamProgress;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The FileStream against a real runbus server: a run's log arrives whole, once, in order. */
@ExtendWith(VertxExtension.class)
class FileStreamTest {

  @TempDir Path tmp;
  StreamHarness h;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    h = new StreamHarness(vertx, tmp);
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  static void assertRows(List<JsonObject> rows, long count, int keys) {
    assertEquals(count, rows.size(), "history rows on the server");
    for (int i = 0; i < count; i++) {
      JsonObject row = rows.get(i);
      assertEquals(i, row.getLong("_step"), "row " + i);
      for (int j = 0; j < keys; j++) {
        assertEquals(
            Double.parseDouble(StreamHarness.value(i, j)),
            row.getDouble("m" + j),
            1e-9,
            "row " + i + " m" + j);
      }
    }
  }

  @Test
  void aWholeRunArrivesOnceWithSummaryEventsConsoleAndExitCode() throws Exception {
    h.openLog();
    h.rows(0, 500, 10);
    h.stats(10, 12.5);
    h.output(false, "epoch 1\nprogress 10%\rprogress 50%");
    h.output(false, "\rprogress 100%\n");
    h.output(true, "a \"warning\"\n");
    h.summary("best", "0.9");
    h.rows(500, 500, 10);
    h.exit(
        3,
        SummaryRecord.newBuilder()
            .addUpdate(SummaryItem.newBuilder().setKey("m0").setValueJson("999.0"))
            .addUpdate(SummaryItem.newBuilder().setKey("best").setValueJson("0.95"))
            .build());
    h.closeLog();

    h.deploy(h.setup(h.base(), h.alice.key(), true), StreamHarness.fast());
    h.target();
    FileStreamProgress done = h.finish(true, 3, 60);

    assertTrue(done.getComplete(), done.toString());
    assertFalse(done.getGaveUp());
    assertRows(h.history(), 1000, 10);
    JsonObject run = h.run();
    assertEquals("failed", run.getString("state"));
    assertEquals(3, run.getInteger("exitCode"));
    // the exit's full summary replaces what history and earlier summaries left
    assertEquals(new JsonObject().put("m0", 999.0).put("best", 0.95), run.getJsonObject("summary"));
    JsonArray events = h.events();
    assertEquals(1, events.size());
    JsonObject sample = events.getJsonObject(0).getJsonObject("values");
    assertEquals(12.5, sample.getDouble("system.cpu"));
    assertEquals(true, sample.getBoolean("_wandb"));
    assertEquals(10.0, sample.getDouble("_runtime"));
    JsonArray console = h.console();
    assertEquals(3, console.size(), console.encodePrettily());
    assertEquals("2026-11-26T22:15:35.000000 epoch 1", console.getJsonObject(0).getString("text"));
    assertEquals(
        "2026-11-26T22:15:35.000000 progress 100%", console.getJsonObject(1).getString("text"));
    assertEquals(
        "ERROR 2026-11-26T22:15:35.000000 a \"warning\"",
        console.getJsonObject(2).getString("text"));
    assertTrue(Files.exists(h.runDir.resolve("run-" + StreamHarness.RUN + ".wandb.synced")));
    SyncMark mark = SyncMark.read(h.runDir.resolve("run-" + StreamHarness.RUN + ".wandb.sync.json")).orElseThrow();
    assertTrue(mark.complete());
    assertEquals(1000, mark.historyLines());
    assertEquals(h.logSize(), mark.logOffset());
  }
}
