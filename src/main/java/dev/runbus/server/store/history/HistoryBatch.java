package dev.runbus.server.store.history;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lines of one append, read: per key, its numeric values as a column, and the kinds of values
 * it had. {@code _step} is every line's x (its {@code _step}, or its line number without one).
 */
final class HistoryBatch {
  private static final int PRESIZED_COLUMNS = 32;

  final Map<String, Column> columns = new LinkedHashMap<>();
  final Map<String, Integer> kinds = new HashMap<>();

  static HistoryBatch of(long firstLine, List<String> lines) {
    HistoryBatch batch = new HistoryBatch();
    Column steps = new Column(lines.size());
    batch.columns.put(HistoryJson.STEP, steps);
    batch.kinds.put(HistoryJson.STEP, KeyTable.NUMBERS);
    LineParser parser = new LineParser();
    // lines of a batch mostly repeat their keys in the same order: the field at position e of the
    // previous line is remembered, so a repeated key skips the map lookups
    String[] lastKey = new String[16];
    int[] lastBits = new int[16];
    Column[] lastColumn = new Column[16];
    for (int i = 0; i < lines.size(); i++) {
      long line = firstLine + i;
      int remaining = lines.size() - i;
      parser.parse(lines.get(i), line);
      long x = parser.hasStep ? parser.step : line;
      steps.add(line, x, x, true);
      if (parser.size > lastKey.length) {
        int n = Math.max(parser.size, lastKey.length * 2);
        lastKey = java.util.Arrays.copyOf(lastKey, n);
        lastBits = java.util.Arrays.copyOf(lastBits, n);
        lastColumn = java.util.Arrays.copyOf(lastColumn, n);
      }
      for (int e = 0; e < parser.size; e++) {
        String key = parser.keys[e];
        byte kind = parser.kinds[e];
        int bits =
            switch (kind) {
              case LineParser.FLOAT, LineParser.INT -> KeyTable.NUMBERS;
              case LineParser.INEXACT_INT -> KeyTable.NUMBERS | KeyTable.OTHERS;
              default -> KeyTable.OTHERS;
            };
        Column column;
        if (key == lastKey[e] && bits == lastBits[e]) {
          column = lastColumn[e];
        } else {
          if (key.equals(HistoryJson.STEP)) {
            lastKey[e] = null;
            continue; // the x column above
          }
          batch.kinds.merge(key, bits, (a, b) -> a | b);
          column =
              (bits & KeyTable.NUMBERS) == 0
                  ? null
                  : batch.columns.computeIfAbsent(key, k -> new Column(capacity(batch, remaining)));
          lastKey[e] = key;
          lastBits[e] = bits;
          lastColumn[e] = column;
        }
        if (column != null) {
          column.add(line, x, parser.values[e], kind == LineParser.INT);
        }
      }
    }
    return batch;
  }

  /**
   * A new column's first capacity: room for every line left for the first keys (a metric logged
   * on every line then never grows by copies), a little for the others (a batch may hold
   * thousands of sparse keys, which must not each take room for every line).
   */
  private static int capacity(HistoryBatch batch, int remaining) {
    return batch.columns.size() <= PRESIZED_COLUMNS ? remaining : 16;
  }
}
