package dev.runbus.client;

import dev.runbus.RunConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** A disabled run's config: kept and checked like a tracked run's, sent nowhere. */
final class LocalConfig extends LocalValues implements RunConfig {

  LocalConfig(Map<String, Object> checkedInitial) {
    values.putAll(checkedInitial);
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
}
