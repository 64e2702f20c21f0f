package dev.runbus.online;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runbus.testing.ReadApiClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The rows {@link OnlineChild} logs, and the check that a server holds each of them once. */
final class Rows {
  private Rows() {}

  static double value(long step, int metric) {
    return metric + step / 1000.0;
  }

  static Map<String, Object> row(long step, int metrics) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int m = 0; m < metrics; m++) {
      row.put("m" + m, value(step, m));
    }
    return row;
  }

  /**
   * The server's history, read line by line, is steps 0 to rows-1, each once and in order, with
   * the values logged ({@code metrics} of them, m0 to m{metrics-1}, all read back).
   */
  static void assertEveryRowOnce(ReadApiClient api, long rows, int metrics) {
    assertEveryRowOnce(api, rows, metrics, null);
  }

  /** As above, reading back only the columns {@code keys} (comma-separated m-names), e.g. "m0,m9". */
  static void assertEveryRowOnce(ReadApiClient api, long rows, int metrics, String keys) {
    AtomicLong next = new AtomicLong();
    String[] columns = keys == null ? names(metrics) : keys.split(",");
    api.history(
        keys,
        line -> {
          long step = next.getAndIncrement();
          assertEquals(step, line.getLong("_step"), () -> "line " + step + ": " + line.encode());
          for (String column : columns) {
            int m = Integer.parseInt(column.substring(1));
            assertEquals(
                value(step, m), line.getDouble(column), 0.0, () -> column + " of step " + step);
          }
        });
    assertEquals(rows, next.get(), "history lines on the server");
  }

  private static String[] names(int metrics) {
    String[] names = new String[metrics];
    for (int m = 0; m < metrics; m++) {
      names[m] = "m" + m;
    }
    return names;
  }
}
