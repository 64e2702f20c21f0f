package dev.runbus.server.store.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.RunData;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The history layout on a real SQLite file and a real PostgreSQL, against {@link ExpectedHistory}.
 */
@Timeout(300)
class JdbcHistoryStoreTest {
  private static final long RUN = 7;
  private static final long OTHER_RUN = 8;

  private final JdbcHistoryStore store = new JdbcHistoryStore();

  @TempDir Path dir;

  /** W&B-shaped lines: floats, sparse keys, nested values, strings, typed values, NaN. */
  static List<String> lines(int n, long seed) {
    Random r = new Random(seed);
    List<String> lines = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder("{");
      b.append("\"loss\": ")
          .append(i % 97 == 5 ? "NaN" : i == 333 ? "Infinity" : fmt(r.nextDouble()));
      if (i % 3 == 0) {
        b.append(", \"acc\": ").append(fmt(r.nextDouble()));
      }
      b.append(", \"epoch\": ").append(i / 100);
      b.append(", \"lr\": ").append(i % 2 == 0 ? "1e-05" : "0.00025");
      if (i % 10 == 0) {
        b.append(", \"val\": {\"loss\": ")
            .append(fmt(r.nextGaussian()))
            .append(", \"acc\": ")
            .append(fmt(r.nextDouble()))
            .append("}");
      }
      if (i % 50 == 0) {
        b.append(", \"phase\": \"").append(i % 100 == 0 ? "train" : "eval \\\"q\\\"").append('"');
      }
      if (i % 200 == 0) {
        b.append(
            ", \"hist\": {\"_type\": \"histogram\", \"values\": [1, 2], \"bins\": [0, 1.5, 3]}");
      }
      if (i % 7 == 0) {
        b.append(", \"mixed\": ").append(i % 14 == 0 ? "\"text\"" : "3.5");
      }
      b.append(", \"_runtime\": ").append(fmt(i * 0.01));
      b.append(", \"_timestamp\": ").append(fmt(1.7e9 + i * 0.01));
      b.append(", \"_step\": ").append(2L * i).append('}');
      lines.add(b.toString());
    }
    return lines;
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.17g", d);
  }

  /** Appends {@code lines} to {@code run} in batches of the given sizes, one transaction each. */
  private void append(TestDatabase db, long run, List<String> lines, int... sizes)
      throws SQLException {
    int pos = 0;
    int i = 0;
    try (Connection c = db.connect()) {
      while (pos < lines.size()) {
        int n = Math.min(sizes[i++ % sizes.length], lines.size() - pos);
        store.append(c, run, pos, lines.subList(pos, pos + n));
        c.commit();
        pos += n;
      }
    }
  }

  private static List<String> scan(
      JdbcHistoryStore store, Connection c, long run, List<String> keys, long from, long limit)
      throws SQLException {
    List<String> out = new ArrayList<>();
    long[] expectedLine = {from};
    store.scan(
        c,
        run,
        keys,
        from,
        limit,
        (line, text) -> {
          assertEquals(expectedLine[0]++, line, "lines in order");
          out.add(text);
        });
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
  void appendedInBatchesReadsBackRowForRow(String kind) throws Exception {
    List<String> input = lines(5000, 1);
    List<String> other = lines(700, 2);
    ExpectedHistory expected = new ExpectedHistory(input);
    try (TestDatabase db = TestDatabase.open(kind, dir)) {
      // small posts (merged into open chunks and blocks) and large ones, another run beside
      append(db, RUN, input, 1, 2, 3, 700, 5, 1500, 1, 10, 600, 2000, 1);
      append(db, OTHER_RUN, other, 300);
      try (Connection c = db.connect()) {
        assertEquals(input.subList(4990, 5000), store.tail(c, RUN, 10));
        assertEquals(input, store.tail(c, RUN, 6000));
        assertEquals(other.subList(690, 700), store.tail(c, OTHER_RUN, 10));
        assertEquals(expected.keys(), store.keys(c, RUN));
        assertEquals(input, scan(store, c, RUN, List.of(), 0, Long.MAX_VALUE));

        // numbers-only keys (rebuilt from blocks) and keys with other values (from the lines)
        for (List<String> keys :
            List.of(
                List.of("loss", "val.acc"),
                List.of("acc", "epoch", "lr", "_step"),
                List.of("phase", "loss"),
                List.of("mixed", "hist", "val", "absent"),
                List.of("val.loss", "hist._type"))) {
          List<String> want = new ArrayList<>();
          for (int i = 0; i < input.size(); i++) {
            want.add(expected.reduced(i, keys));
          }
          assertEquals(want, scan(store, c, RUN, keys, 0, Long.MAX_VALUE), keys.toString());
          assertEquals(
              want.subList(1234, 1234 + 1500),
              scan(store, c, RUN, keys, 1234, 1500),
              "from a line: " + keys);
        }

        for (int points : new int[] {10, 101, 1000, 4000, 6000}) {
          List<String> keys =
              List.of("loss", "acc", "val.loss", "epoch", "mixed", "phase", "_step");
          RunData.SampledHistory sampled = store.sample(c, RUN, keys, points);
          assertEquals(5000, sampled.rowsScanned());
          for (int k = 0; k < keys.size(); k++) {
            RunData.SampledHistory.Series got = sampled.series().get(k);
            ExpectedHistory.Series want =
                keys.get(k).equals("phase")
                    ? new ExpectedHistory.Series(List.of(), List.of())
                    : expected.sampled(keys.get(k), points);
            assertEquals(keys.get(k), got.key());
            assertEquals(want.steps(), boxed(got.steps()), keys.get(k) + " steps, " + points);
            assertEquals(want.values(), boxed(got.values()), keys.get(k) + " values, " + points);
            assertTrue(got.steps().length <= Math.max(points, 2), "about the points asked");
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
  void sampledMinAndMaxKeepASingleSpike(String kind) throws Exception {
    int n = 60_000;
    int spike = 41_234;
    int dip = 7_777;
    List<String> input = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double v = i == spike ? 1000.0 : i == dip ? -1000.0 : 1.0 + 0.001 * Math.sin(i / 100.0);
      input.add("{\"loss\": " + v + ", \"_step\": " + i + "}");
    }
    try (TestDatabase db = TestDatabase.open(kind, dir)) {
      append(db, RUN, input, 10_000);
      try (Connection c = db.connect()) {
        RunData.SampledHistory.Series s = store.sample(c, RUN, List.of("loss"), 40).series().get(0);
        assertTrue(s.steps().length <= 40);
        int at = indexOf(s.steps(), spike);
        assertTrue(at >= 0, "the spike's step is sampled");
        assertEquals(1000.0, s.values()[at]);
        int dipAt = indexOf(s.steps(), dip);
        assertTrue(dipAt >= 0, "the dip's step is sampled");
        assertEquals(-1000.0, s.values()[dipAt]);
        for (int i = 1; i < s.steps().length; i++) {
          assertTrue(s.steps()[i - 1] < s.steps()[i], "step order");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
  void aSampledReadDecodesOnlyTheBlocksABucketBoundaryCuts(String kind) throws Exception {
    List<String> input = lines(60_000, 6); // 235 blocks per key; 10 numeric keys
    try (TestDatabase db = TestDatabase.open(kind, dir)) {
      append(db, RUN, input, 10_000);
      AtomicLong rows = new AtomicLong();
      AtomicLong blobs = new AtomicLong();
      try (Connection c = RowCounting.wrap(db.connect(), rows, blobs)) {
        RunData.SampledHistory s = store.sample(c, RUN, List.of("loss"), 40);
        // 20 buckets: 19 boundaries, each cutting at most one block; the rest from summaries
        assertTrue(blobs.get() <= 19, blobs.get() + " blocks decoded");
        assertTrue(rows.get() < 300, rows.get() + " rows read: one key's summaries and cut blocks");
        assertEquals(
            new ExpectedHistory(input).sampled("loss", 40).values(),
            boxed(s.series().get(0).values()));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
  void smallPostsAddNoRows(String kind) throws Exception {
    List<String> input = lines(1500, 7);
    try (TestDatabase db = TestDatabase.open(kind, dir)) {
      append(db, RUN, input, 1, 2, 3); // 750 posts
      try (Connection c = db.connect()) {
        // a chunk takes more lines while it holds fewer than 512: three chunks of 512 to 514
        assertEquals(3, count(c, "SELECT COUNT(*) FROM history_chunks"));
        // loss has 1,500 values: 5 full blocks of 256 and an open one
        assertEquals(
            6,
            count(
                c,
                "SELECT COUNT(*) FROM history_blocks b JOIN history_keys k"
                    + " ON b.run_id = k.run_id AND b.key_id = k.key_id WHERE k.name = 'loss'"));
        assertEquals(input, store.tail(c, RUN, 2000));
        ExpectedHistory expected = new ExpectedHistory(input);
        List<String> want = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
          want.add(expected.reduced(i, List.of("loss", "acc")));
        }
        assertEquals(want, scan(store, c, RUN, List.of("loss", "acc"), 0, Long.MAX_VALUE));
      }
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (var s = c.createStatement();
        var r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
  void nanAndInfinitySurviveAFullScan(String kind) throws Exception {
    List<String> input =
        List.of(
            "{\"loss\": NaN, \"_step\": 0}",
            "{\"loss\": Infinity, \"_step\": 1}",
            "{\"loss\": -Infinity, \"_step\": 2}",
            "{\"loss\": 0.5, \"nested\": {\"g\": NaN}, \"_step\": 3}");
    try (TestDatabase db = TestDatabase.open(kind, dir)) {
      append(db, RUN, input, 3, 1);
      try (Connection c = db.connect()) {
        assertEquals(input, scan(store, c, RUN, List.of(), 0, 10));
        assertEquals(
            List.of(
                "{\"_step\":0,\"loss\":NaN}",
                "{\"_step\":1,\"loss\":Infinity}",
                "{\"_step\":2,\"loss\":-Infinity,\"nested.g\":NaN}"
                    .replace(",\"nested.g\":NaN", ""),
                "{\"_step\":3,\"loss\":0.5,\"nested.g\":NaN}"),
            scan(store, c, RUN, List.of("loss", "nested.g"), 0, 10));
        RunData.SampledHistory.Series s =
            store.sample(c, RUN, List.of("loss"), 100).series().get(0);
        assertArrayEquals(new long[] {1, 2, 3}, s.steps(), "NaN is not sampled");
        assertArrayEquals(
            new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5}, s.values());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
  void scanStreamsAPageAtATime(String kind) throws Exception {
    List<String> input = lines(30_000, 3);
    try (TestDatabase db = TestDatabase.open(kind, dir)) {
      append(db, RUN, input, 10_000);
      for (List<String> keys :
          List.<List<String>>of(List.of(), List.of("loss"), List.of("phase"))) {
        AtomicLong fetched = new AtomicLong();
        long[] fetchedAtFirstLine = {-1};
        long[] lines = {0};
        try (Connection c = RowCounting.wrap(db.connect(), fetched)) {
          store.scan(
              c,
              RUN,
              keys,
              0,
              Long.MAX_VALUE,
              (line, text) -> {
                if (lines[0]++ == 0) {
                  fetchedAtFirstLine[0] = fetched.get();
                }
              });
          c.rollback();
        }
        assertEquals(30_000, lines[0]);
        // the run is 30 chunks and 118 blocks per key; the first line comes after a page of
        // either (a page of 32 blocks per key read)
        assertTrue(
            fetchedAtFirstLine[0] < 80,
            keys + ": " + fetchedAtFirstLine[0] + " rows read before the first line");
        assertTrue(fetched.get() > 2 * fetchedAtFirstLine[0], keys + ": the rest read later");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
  void aLineThatIsNotAnObjectIsRefusedAndNothingIsStored(String kind) throws Exception {
    try (TestDatabase db = TestDatabase.open(kind, dir);
        Connection c = db.connect()) {
      BadInputException e =
          assertThrows(
              BadInputException.class,
              () -> store.append(c, RUN, 0, List.of("{\"a\": 1}", "{\"a\": 1", "{}")));
      assertEquals("wandb-history.jsonl line 1 is not one JSON object", e.getMessage());
      assertEquals(List.of(), store.tail(c, RUN, 5));
      assertEquals(List.of(), store.keys(c, RUN));
      assertThrows(BadInputException.class, () -> store.append(c, RUN, 0, List.of("[1]")));
      assertThrows(BadInputException.class, () -> store.append(c, RUN, 0, List.of("{} {}")));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
  void anAppendThatLeavesAGapFailsAndDeleteRunLeavesOtherRuns(String kind) throws Exception {
    try (TestDatabase db = TestDatabase.open(kind, dir)) {
      append(db, RUN, lines(300, 4), 100);
      append(db, OTHER_RUN, lines(300, 5), 100);
      try (Connection c = db.connect()) {
        assertThrows(SQLException.class, () -> store.append(c, RUN, 301, List.of("{}")));
        c.rollback();
        store.deleteRun(c, RUN);
        c.commit();
        assertEquals(List.of(), store.tail(c, RUN, 5));
        assertEquals(List.of(), store.keys(c, RUN));
        assertEquals(0, store.sample(c, RUN, List.of("loss"), 10).series().get(0).steps().length);
        assertEquals(lines(300, 5), store.tail(c, OTHER_RUN, 1000));
        // a deleted run's id starts again from line 0
        store.append(c, RUN, 0, List.of("{\"loss\": 1.5, \"_step\": 9}"));
        assertEquals(
            List.of("{\"_step\":9,\"loss\":1.5}"), scan(store, c, RUN, List.of("loss"), 0, 9));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
  void aLineWithoutStepUsesItsLineNumber(String kind) throws Exception {
    List<String> input = List.of("{\"a\": 1}", "{\"a\": 2, \"_step\": 40}", "{\"a\": 3.25}");
    try (TestDatabase db = TestDatabase.open(kind, dir)) {
      append(db, RUN, input, 1, 2);
      try (Connection c = db.connect()) {
        assertEquals(
            List.of("{\"_step\":0,\"a\":1}", "{\"_step\":40,\"a\":2}", "{\"_step\":2,\"a\":3.25}"),
            scan(store, c, RUN, List.of("a"), 0, 10));
        RunData.SampledHistory.Series s = store.sample(c, RUN, List.of("a"), 10).series().get(0);
        assertArrayEquals(new long[] {0, 2, 40}, s.steps());
        assertArrayEquals(new double[] {1, 3.25, 2}, s.values());
      }
    }
  }

  private static int indexOf(long[] a, long v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  private static List<Long> boxed(long[] a) {
    List<Long> out = new ArrayList<>(a.length);
    for (long v : a) {
      out.add(v);
    }
    return out;
  }

  private static List<Double> boxed(double[] a) {
    List<Double> out = new ArrayList<>(a.length);
    for (double v : a) {
      out.add(v);
    }
    return out;
  }
}
