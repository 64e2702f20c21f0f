package dev.runbus.sender;

import dev.runbus.json.JsonWriter;
import dev.runbus.writer.ConfigState;
import dev.runbus.writer.MetricDictionary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * UpsertBucket's {@code config} (§5.4): every key as {@code {"value": v}}, as wandb-core sends it,
 * plus {@code _wandb.value}, runbus's internal block with W&B's metric list {@code m} (the UI reads
 * it for each chart's x-axis). The config itself is the Writer's {@link ConfigState}, so the server
 * and {@code config.yaml} see the same values.
 */
final class RunConfigJson {

  private RunConfigJson() {}

  static String of(ConfigState config, MetricDictionary metrics, Map<String, Object> wandbBlock) {
    Map<String, Object> all = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : config.values().entrySet()) {
      all.put(e.getKey(), valueOf(e.getValue()));
    }
    Map<String, Object> internal = new LinkedHashMap<>(wandbBlock);
    internal.put("m", metrics.isEmpty() ? java.util.List.of() : metrics.entries());
    all.put("_wandb", valueOf(internal));
    return JsonWriter.toJson(all);
  }

  private static Map<String, Object> valueOf(Object value) {
    Map<String, Object> wrapped = new LinkedHashMap<>();
    wrapped.put("value", value);
    return wrapped;
  }
}
