package dev.runbus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.RunLogs;
import dev.runbus.proto.Record;
import dev.runbus.proto.SummaryItem;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run that {@link RankWorker}s logged into must hold: at every step one history row with
 * each rank's row of that step exactly once, under its rank's labels (rank r's loss at step i is
 * r * 1e6 + i, so a row that moved, doubled or went missing shows), and the ranks' outcomes.
 */
final class RankLog {

  final List<Record> records;
  final List<Map<String, String>> history;

  private RankLog(List<Record> records) {
    this.records = records;
    this.history = RunLogs.history(records);
  }

  static RankLog read(Path log) throws IOException {
    return new RankLog(RunLogs.records(log));
  }

  /**
   * Checks every step: ranks in {@code full} logged all {@code rows} rows; a rank in {@code
   * partial} logged its first rows only (as many as it got in before it died, at least {@code
   * atLeast}), each at its own step. Returns how many rows each partial rank has.
   */
  int[] check(int rows, int[] full, int[] partial, int atLeast) {
    assertEquals(rows, history.size(), "history rows");
    int[] partialRows = new int[partial.length];
    for (int step = 0; step < rows; step++) {
      Map<String, String> row = history.get(step);
      assertEquals(Long.toString(step), row.get("_step"), "the step of history row " + step);
      for (int rank : full) {
        assertValue(row, rank, step);
      }
      for (int p = 0; p < partial.length; p++) {
        if (row.containsKey("rank" + partial[p] + "/loss")) {
          assertEquals(step, partialRows[p], "rank " + partial[p] + " skipped a step before " + step);
          assertValue(row, partial[p], step);
          partialRows[p]++;
        }
      }
    }
    for (int p = 0; p < partial.length; p++) {
      assertTrue(
          partialRows[p] >= atLeast,
          "rank " + partial[p] + " has " + partialRows[p] + " rows, acknowledged at least " + atLeast);
    }
    return partialRows;
  }

  private static void assertValue(Map<String, String> row, int rank, int step) {
    String loss = row.get("rank" + rank + "/loss");
    assertTrue(loss != null, "rank " + rank + " has no loss at step " + step + ": " + row);
    assertEquals(rank * 1e6 + step, Double.parseDouble(loss), "rank " + rank + "'s loss at step " + step);
    assertTrue(row.containsKey("rank" + rank + "/acc"), "rank " + rank + "/acc at step " + step);
  }

  /** The ranks' outcomes the run recorded: rank → {"state": …, …}. */
  JsonObject ranks() {
    String json = null;
    for (Record record : records) {
      if (record.hasSummary()) {
        for (SummaryItem item : record.getSummary().getUpdateList()) {
          if (item.getKey().equals("ranks")) {
            json = item.getValueJson();
          }
        }
      }
    }
    assertTrue(json != null, "no \"ranks\" in the run's summary");
    return new JsonObject(json);
  }
}
