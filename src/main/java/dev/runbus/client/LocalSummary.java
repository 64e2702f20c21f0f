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
    Map<String, Object> one = new LinkedHashMap<>();
    one.put(key, value);
    values.putAll(PipelineSummary.checkedCopy("summary().set()", one));
  }

  @Override
  public synchronized void update(Map<String, ?> changes) {
    values.putAll(PipelineSummary.checkedCopy("summary().update()", changes));
  }

  @Override
  public synchronized void remove(String key) {
    LogValues.checkKey("summary().remove()", key);
    values.remove(key);
  }
}
