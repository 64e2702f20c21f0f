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
  final Map<String, Column> columns = new LinkedHashMap<>();
  final Map<String, Integer> kinds = new HashMap<>();

  static HistoryBatch of(long firstLine, List<String> lines) {
    HistoryBatch batch = new HistoryBatch();
    Column steps = new Column(lines.size());
    batch.columns.put(HistoryJson.STEP, steps);
    batch.kinds.put(HistoryJson.STEP, KeyTable.NUMBERS);
    LineParser parser = new LineParser();
    for (int i = 0; i < lines.size(); i++) {
      long line = firstLine + i;
      parser.parse(lines.get(i), line);
      long x = parser.hasStep ? parser.step : line;
      steps.add(line, x, x, true);
      for (int e = 0; e < parser.size; e++) {
        String key = parser.keys[e];
        if (key.equals(HistoryJson.STEP)) {
          continue; // the x column above
        }
        byte kind = parser.kinds[e];
        int bits =
            switch (kind) {
              case LineParser.FLOAT, LineParser.INT -> KeyTable.NUMBERS;
              case LineParser.INEXACT_INT -> KeyTable.NUMBERS | KeyTable.OTHERS;
              default -> KeyTable.OTHERS;
            };
        batch.kinds.merge(key, bits, (a, b) -> a | b);
        if ((bits & KeyTable.NUMBERS) != 0) {
          batch
              .columns
              .computeIfAbsent(key, k -> new Column(16))
              .add(line, x, parser.values[e], kind == LineParser.INT);
        }
      }
    }
    return batch;
  }
}
