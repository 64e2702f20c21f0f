package dev.runbus.server.store.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.store.RunData.SampledHistory;
import dev.runbus.server.store.RunData.SampledHistory.Series;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sampled history against another x key: each point's x is that key's value on the point's own
 * line, on real SQLite and PostgreSQL, over enough lines that the x key's blocks are read in
 * several batches.
 */
@Timeout(300)
class SampledXTest {
  private static final long RUN = 3;
  private static final int LINES = 40_000;

  private final JdbcHistoryStore store = new JdbcHistoryStore();

  @TempDir Path dir;

  /** Line i: step 2i; _runtime i/2 except every 7th line; "val" and "epoch" every 100th line. */
  static List<String> lines() {
    List<String> out = new ArrayList<>(LINES);
    for (int i = 0; i < LINES; i++) {
      StringBuilder b = new StringBuilder("{\"loss\": ").append(loss(i));
      if (i % 7 != 0) {
        b.append(", \"_runtime\": ").append(runtime(i));
      }
      if (i % 100 == 99) {
        b.append(", \"val\": ").append(i % 1000).append(", \"epoch\": ").append(i / 100);
      }
      out.add(b.append(", \"_step\": ").append(2L * i).append('}').toString());
    }
    return out;
  }

  static double loss(int i) {
    return Math.sin(i * 0.001) + (i % 13) * 0.01;
  }

  static double runtime(int i) {
    return i * 0.5;
  }

  @ParameterizedTest
  @ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
  void eachPointCarriesTheXOfItsOwnLine(String kind) throws Exception {
    List<String> input = lines();
    try (TestDatabase db = TestDatabase.open(kind, dir)) {
      try (Connection c = db.connect()) {
        for (int pos = 0; pos < LINES; pos += 5000) {
          store.append(c, RUN, pos, input.subList(pos, pos + 5000));
          c.commit();
        }
        // loss is bucketed (more values than points); val has fewer values than points
        SampledHistory sampled = store.sample(c, RUN, List.of("loss", "val"), 2000, "_runtime");
        Series loss = sampled.series().get(0);
        Series val = sampled.series().get(1);
        assertTrue(loss.steps().length > 1500, "bucketed points: " + loss.steps().length);
        assertEquals(LINES / 100, val.steps().length);
        for (Series s : List.of(loss, val)) {
          assertEquals(s.steps().length, s.xs().length);
          for (int p = 0; p < s.steps().length; p++) {
            int line = (int) (s.steps()[p] / 2);
            Double want = line % 7 == 0 ? null : runtime(line);
            assertEquals(want, s.xs()[p], s.key() + " point " + p + " at step " + s.steps()[p]);
          }
        }
        for (int p = 0; p < loss.steps().length; p++) {
          assertEquals(loss((int) (loss.steps()[p] / 2)), loss.values()[p], 0.0);
        }

        // a step metric logged on the same lines as its metric
        Series byEpoch = store.sample(c, RUN, List.of("val"), 2000, "epoch").series().get(0);
        for (int p = 0; p < byEpoch.steps().length; p++) {
          assertEquals((double) (byEpoch.steps()[p] / 2 / 100), byEpoch.xs()[p]);
        }

        // a key the run never logged: every x is null; _step (the default x): no xs at all
        Series absent = store.sample(c, RUN, List.of("loss"), 100, "nope").series().get(0);
        assertTrue(absent.xs().length > 0);
        for (Double x : absent.xs()) {
          assertNull(x);
        }
        assertNull(store.sample(c, RUN, List.of("loss"), 100, "_step").series().get(0).xs());
      }
    }
  }
}
