package dev.runbus.client;

import dev.runbus.RunSummary;
import dev.runbus.json.LogValues;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A disabled run's summary: what is set explicitly, checked like a tracked run's. Nothing is logged
 * in a disabled run, so there are no last values to show.
 */
final class LocalSummary extends LocalValues implements RunSummary {

  @Override
  public synchronized void set(String key, Object value) {
    LogValues.checkKey("summary().set()", key);
    values.put(key, LogValues.copyValue(key, value));
  }

  @Override
  public synchronized void update(Map<String, ?> changes) {
    Map<String, Object> copies = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : changes.entrySet()) {
      LogValues.checkKey("summary().update()", e.getKey());
      copies.put(e.getKey(), LogValues.copyValue(e.getKey(), e.getValue()));
    }
    values.putAll(copies);
  }

  @Override
  public synchronized void remove(String key) {
    LogValues.checkKey("summary().remove()", key);
    values.remove(key);
  }
}
