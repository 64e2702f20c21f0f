package dev.runbus.client;

import dev.runbus.proto.SampledHistoryItem;
import dev.runbus.proto.SampledHistoryResponse;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Handler's sampled history as plain arrays, keyed by metric. */
final class SampledHistory {

  private SampledHistory() {}

  static Map<String, double[]> toMap(SampledHistoryResponse response) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (SampledHistoryItem item : response.getItemList()) {
      double[] values;
      if (item.getValuesIntCount() > 0) {
        values = item.getValuesIntList().stream().mapToDouble(Long::doubleValue).toArray();
      } else {
        values = new double[item.getValuesFloatCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = item.getValuesFloat(i);
        }
      }
      out.put(item.getKey(), values);
    }
    return Collections.unmodifiableMap(out);
  }
}
