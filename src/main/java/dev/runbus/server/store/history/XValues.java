package dev.runbus.server.store.history;

import dev.runbus.server.store.RunData.SampledHistory.Series;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The x of sampled points when the chart's x axis is another history key ({@code _runtime},
 * {@code _timestamp}, a step metric): that key's value on each point's line. The lines wanted are
 * merged with the x key's block index (first lines only), so only the blocks that hold a wanted
 * line are decoded, a bounded batch at a time.
 */
final class XValues {
  private static final int INDEX_PAGE = 2048;
  private static final int DECODE_BATCH = 128;

  private final Connection c;
  private final long runId;
  private final int keyId;
  private final long[] wanted;
  private final Double[] found;
  private final List<Long> batch = new ArrayList<>();
  private int resolved;

  private XValues(Connection c, long runId, int keyId, long[] wanted) {
    this.c = c;
    this.runId = runId;
    this.keyId = keyId;
    this.wanted = wanted;
    this.found = new Double[wanted.length];
  }

  /**
   * The series with their {@code xs} set from key {@code keyId} (-1: a key the run never logged,
   * so every x is null).
   */
  static List<Series> attach(Connection c, long runId, int keyId, List<Series> series)
      throws SQLException {
    long[] lines = distinctLines(series);
    XValues x = new XValues(c, runId, keyId, lines);
    if (keyId >= 0 && lines.length > 0) {
      x.read();
    }
    List<Series> out = new ArrayList<>(series.size());
    for (Series s : series) {
      Double[] xs = new Double[s.lines().length];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = x.found[Arrays.binarySearch(lines, s.lines()[i])];
      }
      out.add(s.withXs(xs));
    }
    return out;
  }

  private static long[] distinctLines(List<Series> series) {
    int total = 0;
    for (Series s : series) {
      total += s.lines().length;
    }
    long[] all = new long[total];
    int k = 0;
    for (Series s : series) {
      System.arraycopy(s.lines(), 0, all, k, s.lines().length);
      k += s.lines().length;
    }
    Arrays.sort(all);
    int n = 0;
    for (int i = 0; i < all.length; i++) {
      if (n == 0 || all[i] != all[n - 1]) {
        all[n++] = all[i];
      }
    }
    return Arrays.copyOf(all, n);
  }

  /**
   * Walks the key's blocks in line order: a wanted line below the next block's first line lies in
   * the current block (or in no block, before the first one), so that block is decoded.
   */
  private void read() throws SQLException {
    int next = 0;
    long current = -1;
    long after = -1;
    while (next < wanted.length) {
      long[] page = BlockTable.firstLines(c, runId, keyId, after, INDEX_PAGE);
      for (long first : page) {
        if (next < wanted.length && wanted[next] < first) {
          if (current >= 0) {
            need(current);
          }
          while (next < wanted.length && wanted[next] < first) {
            next++;
          }
          if (batch.size() >= DECODE_BATCH) {
            flush(next);
          }
        }
        current = first;
      }
      if (page.length < INDEX_PAGE) {
        break;
      }
      after = page[page.length - 1];
    }
    if (next < wanted.length && current >= 0) {
      need(current);
    }
    flush(wanted.length);
  }

  private void need(long firstLine) {
    batch.add(firstLine);
  }

  /** Decodes the batched blocks and looks up wanted lines {@code resolved .. upTo - 1} in them. */
  private void flush(int upTo) throws SQLException {
    if (!batch.isEmpty()) {
      Column values = new Column(batch.size() * BlockTable.MAX_VALUES);
      BlockTable.decodeBlocks(c, runId, keyId, batch, values);
      // an IN list comes back in no promised order; lines must be ascending for the lookup
      sortByLine(values);
      for (int i = resolved; i < upTo; i++) {
        int at = values.indexOfLineAtLeast(0, wanted[i]);
        if (at < values.size && values.lines[at] == wanted[i]) {
          found[i] = values.values[at];
        }
      }
      batch.clear();
    }
    resolved = upTo;
  }

  private static void sortByLine(Column col) {
    for (int i = 1; i < col.size; i++) {
      if (col.lines[i] < col.lines[i - 1]) {
        Integer[] order = new Integer[col.size];
        for (int j = 0; j < order.length; j++) {
          order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Long.compare(col.lines[a], col.lines[b]));
        long[] lines = new long[col.size];
        double[] values = new double[col.size];
        for (int j = 0; j < order.length; j++) {
          lines[j] = col.lines[order[j]];
          values[j] = col.values[order[j]];
        }
        col.lines = lines;
        col.values = values;
        return;
      }
    }
  }
}
