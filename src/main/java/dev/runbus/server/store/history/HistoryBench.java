package dev.runbus.server.store.history;

import dev.runbus.server.store.sql.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures the history layout alone, on one database: appending a run of W&B-shaped rows in
 * FileStream-sized posts (one transaction each, as the server commits a post), then a sampled read
 * of three keys, of every metric (by step, and against {@code _runtime}, as a workspace charts
 * them), and full scans of one key and of whole lines. Lines are generated outside the
 * timed sections.
 *
 * <pre>java -cp runbus.jar dev.runbus.server.store.history.HistoryBench [--rows 1000000]
 *     [--metrics 10] [--post-lines 10000] [--points 1000] [--db jdbc:postgresql://…]</pre>
 *
 * Without {@code --db}, a fresh SQLite database in a temporary directory, opened as the server
 * opens its own ({@link Database}), deleted afterwards. A {@code --db} database is migrated and
 * keeps its tables: give it a scratch database or schema.
 */
public final class HistoryBench {
  private static final long RUN_ID = 1;

  /** What to run. */
  public record Options(long rows, int metrics, int postLines, int points, String jdbcUrl) {}

  private HistoryBench() {}

  public static void main(String[] args) throws Exception {
    long rows = 1_000_000;
    int metrics = 10;
    int postLines = 10_000;
    int points = 1000;
    String url = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--rows" -> rows = Long.parseLong(value);
        case "--metrics" -> metrics = Integer.parseInt(value);
        case "--post-lines" -> postLines = Integer.parseInt(value);
        case "--points" -> points = Integer.parseInt(value);
        case "--db" -> url = value;
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
      i++;
    }
    run(new Options(rows, metrics, postLines, points, url))
        .forEach((k, v) -> System.out.println(k + ": " + v));
  }

  /** Runs the measurements and returns the figures by name, in order. */
  public static Map<String, String> run(Options o) throws Exception {
    String url = o.jdbcUrl();
    Path tmp = url == null ? Files.createTempDirectory("runbus-history-bench") : null;
    JdbcHistoryStore store = new JdbcHistoryStore();
    Map<String, String> out = new LinkedHashMap<>();
    out.put(
        "database",
        tmp != null ? "sqlite, temporary" : url.replaceAll("password=[^&]*", "password=…"));
    out.put("rows", Long.toString(o.rows()));
    try (Database db = tmp != null ? Database.openSqlite(tmp) : Database.open(url);
        Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      store.deleteRun(c, RUN_ID);
      c.commit();
      long appendNanos = append(c, store, o);
      out.put("append_rows_per_s", rate(o.rows(), appendNanos));
      List<String> keys = List.of("m0", "m1", "m2");
      long[] sampleNanos = new long[5];
      long sampled = 0;
      for (int i = -2; i < sampleNanos.length; i++) { // two warm-ups
        long t0 = System.nanoTime();
        var s = store.sample(c, RUN_ID, keys, o.points());
        long t = System.nanoTime() - t0;
        c.rollback();
        if (i >= 0) {
          sampleNanos[i] = t;
        }
        sampled = s.series().stream().mapToLong(x -> x.steps().length).sum();
      }
      Arrays.sort(sampleNanos);
      out.put("sample_3_keys_ms_median_of_5", ms(sampleNanos[2]));
      out.put("sample_points_returned", Long.toString(sampled));
      // a run's workspace: every metric at once, charted against _runtime (the x of each point read)
      List<String> all = new ArrayList<>();
      for (int m = 0; m < o.metrics(); m++) {
        all.add("m" + m);
      }
      for (String x : new String[] {null, "_runtime"}) {
        long[] nanos = new long[5];
        for (int i = -2; i < nanos.length; i++) {
          long t1 = System.nanoTime();
          store.sample(c, RUN_ID, all, o.points(), x);
          long t = System.nanoTime() - t1;
          c.rollback();
          if (i >= 0) {
            nanos[i] = t;
          }
        }
        Arrays.sort(nanos);
        String name =
            x == null
                ? "sample_all_keys_ms_median_of_5"
                : "sample_all_keys_x_runtime_ms_median_of_5";
        out.put(name, ms(nanos[2]));
      }
      long[] values = {0};
      long t0 = System.nanoTime();
      store.scan(c, RUN_ID, List.of("m0"), 0, Long.MAX_VALUE, (line, text) -> values[0]++);
      long scanNanos = System.nanoTime() - t0;
      c.rollback();
      out.put("scan_one_key_values_per_s", rate(values[0], scanNanos));
      long[] lines = {0};
      t0 = System.nanoTime();
      store.scan(c, RUN_ID, List.of(), 0, Long.MAX_VALUE, (line, text) -> lines[0]++);
      long fullNanos = System.nanoTime() - t0;
      c.rollback();
      out.put("scan_whole_lines_per_s", rate(lines[0], fullNanos));
      store.deleteRun(c, RUN_ID);
      c.commit();
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
    return out;
  }

  private static long append(Connection c, JdbcHistoryStore store, Options o) throws SQLException {
    SplittableRandom random = new SplittableRandom(42);
    long nanos = 0;
    for (long first = 0; first < o.rows(); first += o.postLines()) {
      int n = (int) Math.min(o.postLines(), o.rows() - first);
      List<String> post = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        post.add(line(first + i, o.metrics(), random));
      }
      long t0 = System.nanoTime();
      store.append(c, RUN_ID, first, post);
      c.commit();
      nanos += System.nanoTime() - t0;
    }
    return nanos;
  }

  /** A line as W&B's client writes one: the metrics, then _runtime, _timestamp and _step. */
  static String line(long step, int metrics, SplittableRandom random) {
    StringBuilder b = new StringBuilder(32 + 28 * metrics).append('{');
    for (int m = 0; m < metrics; m++) {
      b.append("\"m").append(m).append("\": ").append(random.nextDouble()).append(", ");
    }
    return b.append("\"_runtime\": ")
        .append(step * 0.01)
        .append(", \"_timestamp\": ")
        .append(1.7e9 + step * 0.01)
        .append(", \"_step\": ")
        .append(step)
        .append('}')
        .toString();
  }

  private static String rate(long count, long nanos) {
    return String.format(Locale.ROOT, "%.0f", count / (nanos / 1e9));
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
