package dev.runbus.handler;

import dev.runbus.bus.ValueCursor;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRows;
import dev.runbus.proto.SampledHistoryResponse;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * §2.6: per top-level key with numeric (or boolean) values, a bounded, evenly spaced sample of its
 * history for the end-of-run sparklines. Keys starting with {@code _} are sampled too; the reader
 * filters them.
 */
final class HistorySampler {
  static final int SAMPLES_PER_KEY = 64;
  static final int DEFAULT_MAX_KEYS = 10_000;

  private final LinkedHashMap<String, KeySamples> byKey = new LinkedHashMap<>();
  private final int maxKeys;

  /** How many values were parsed: only kept ones are (tests check this). */
  long parsedValues;

  /** The previous row and its keys' samples by position (null: not sampled yet). */
  private List<HistoryItem> shapeRow;

  private KeySamples[] shapeSamples = new KeySamples[0];

  HistorySampler(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  void add(List<HistoryItem> row) {
    add(row, RowShapes.sameKeys(shapeRow, row));
  }

  /**
   * @param sameKeysAsPrevious whether the row has the same keys, in order, as the previous row
   *     passed here (the caller may know it already)
   */
  void add(List<HistoryItem> row, boolean sameKeysAsPrevious) {
    int n = row.size();
    if (!sameKeysAsPrevious) {
      // new keys or order: look every key up once, then reuse by position
      if (shapeSamples.length < n) {
        shapeSamples = new KeySamples[n];
      }
      for (int i = 0; i < n; i++) {
        shapeSamples[i] = byKey.get(row.get(i).getKey());
      }
    }
    shapeRow = row;
    for (int i = 0; i < n; i++) {
      HistoryItem item = row.get(i);
      String json = item.getValueJson();
      if (!JsonScalars.looksNumberOrBoolean(json)) {
        continue;
      }
      KeySamples samples = shapeSamples[i];
      if (samples == null) {
        samples = startSampling(item.getKey());
        if (samples == null) {
          continue;
        }
        shapeSamples[i] = samples;
      }
      if (samples.offer(json)) {
        parsedValues++;
      }
    }
  }

  /**
   * Adds the {@code count} rows of a block whose value texts are {@code values}: row i has the
   * block's keys, then {@code _step = firstStep + i}. Keys are visited row by row, as {@link #add}
   * visits them, so keys start being sampled in the same order; a value becomes a string only
   * when it is kept.
   */
  void addRows(HistoryRows block, byte[] values, int count, long firstStep) {
    int width = block.getKeyCount();
    KeySamples[] samples = new KeySamples[width];
    KeySamples step = null;
    ValueCursor cursor = new ValueCursor(values);
    for (int r = 0; r < count; r++) {
      for (int j = 0; j < width; j++) {
        cursor.next();
        int from = cursor.start();
        int end = cursor.end();
        if (from == end || !JsonScalars.looksNumberOrBoolean((char) values[from])) {
          continue;
        }
        KeySamples key = samples[j];
        if (key == null) {
          key = samples[j] = startSampling(block.getKey(j));
          if (key == null) {
            continue;
          }
        }
        if (key.offer(values, from, end)) {
          parsedValues++;
        }
      }
      if (step == null) {
        step = startSampling("_step");
      }
      if (step != null && step.offerInteger(firstStep + r)) {
        parsedValues++;
      }
    }
    shapeRow = null; // the next add() looks its keys up again
  }

  /** Nested items are not sampled; beyond maxKeys new keys are not (bounded memory). */
  private KeySamples startSampling(String key) {
    KeySamples samples = byKey.get(key);
    if (samples == null && !key.isEmpty() && byKey.size() < maxKeys) {
      samples = new KeySamples(SAMPLES_PER_KEY);
      byKey.put(key, samples);
    }
    return samples;
  }

  SampledHistoryResponse toResponse() {
    SampledHistoryResponse.Builder response = SampledHistoryResponse.newBuilder();
    byKey.forEach(
        (key, samples) -> {
          if (samples.size() > 0) {
            response.addItem(samples.toItem(key));
          }
        });
    return response.build();
  }
}
