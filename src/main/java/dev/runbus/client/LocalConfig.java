package dev.runbus.client;

import dev.runbus.RunConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** A disabled run's config: kept and checked like a tracked run's, sent nowhere. */
final class LocalConfig implements RunConfig {

  private final Map<String, Object> values;

  LocalConfig(Map<String, Object> checkedInitial) {
    this.values = new LinkedHashMap<>(checkedInitial);
  }

  @Override
  public synchronized void set(String key, Object value) {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put(key, value);
    update(one);
  }

  @Override
  public synchronized void update(Map<String, ?> changes) {
    values.putAll(PipelineConfig.checkedCopy(changes));
  }

  @Override
  public synchronized Object get(String key) {
    return PipelineConfig.readBack(values.get(key));
  }

  @Override
  public synchronized Map<String, Object> asMap() {
    Map<String, Object> copy = new LinkedHashMap<>();
    values.keySet().forEach(k -> copy.put(k, get(k)));
    return copy;
  }
}
