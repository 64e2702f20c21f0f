package dev.runbus.handler;

import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.SampledHistoryResponse;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * §2.6: per top-level key with numeric (or boolean) values, a bounded, evenly spaced sample
 * of its history for the end-of-run sparklines. Keys starting with {@code _} are sampled too;
 * the reader filters them.
 */
final class HistorySampler {
  static final int SAMPLES_PER_KEY = 64;
  static final int DEFAULT_MAX_KEYS = 10_000;

  private final LinkedHashMap<String, KeySamples> byKey = new LinkedHashMap<>();
  private final int maxKeys;
  /** How many values were parsed: only kept ones are (tests check this). */
  long parsedValues;

  HistorySampler(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  void add(List<HistoryItem> row) {
    for (int i = 0, n = row.size(); i < n; i++) {
      HistoryItem item = row.get(i);
      String json = item.getValueJson();
      if (!JsonScalars.looksNumberOrBoolean(json)) {
        continue;
      }
      String key = item.getKey();
      KeySamples samples = byKey.get(key);
      if (samples == null) {
        // nested items are not sampled; beyond maxKeys new keys are not sampled (bounded memory)
        if (key.isEmpty() || byKey.size() >= maxKeys) {
          continue;
        }
        samples = new KeySamples(SAMPLES_PER_KEY);
        byKey.put(key, samples);
      }
      if (samples.offer(json)) {
        parsedValues++;
      }
    }
  }

  SampledHistoryResponse toResponse() {
    SampledHistoryResponse.Builder response = SampledHistoryResponse.newBuilder();
    byKey.forEach((key, samples) -> {
      if (samples.size() > 0) {
        response.addItem(samples.toItem(key));
      }
    });
    return response.build();
  }
}
