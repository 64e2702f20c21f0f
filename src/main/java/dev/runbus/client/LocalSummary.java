package dev.runbus.client;

import dev.runbus.RunSummary;
import dev.runbus.json.LogValues;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A disabled run's summary: what is set explicitly, checked, encoded and read back by the same code
 * as a tracked run's ({@link PipelineSummary}), so a value comes back with the same type in both
 * modes. Nothing is logged in a disabled run, so there are no last logged values in it.
 */
final class LocalSummary implements RunSummary {

  private final DisabledRun run;

  /** Key to value_json, as a tracked run's Handler keeps explicit values. Guarded by this. */
  private final Map<String, String> values = new LinkedHashMap<>();

  LocalSummary(DisabledRun run) {
    this.run = run;
  }

  @Override
  public synchronized void set(String key, Object value) {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put(key, value);
    update("summary().set()", one);
  }

  @Override
  public synchronized void update(Map<String, ?> changes) {
    update("summary().update()", changes);
  }

  private void update(String call, Map<String, ?> changes) {
    Map<String, String> encoded = PipelineSummary.encoded(call, changes);
    run.checkOpen(call);
    values.putAll(encoded);
  }

  @Override
  public synchronized void remove(String key) {
    LogValues.checkKey("summary().remove()", key);
    run.checkOpen("summary().remove()");
    values.remove(key);
  }

  @Override
  public synchronized Object get(String key) {
    run.checkOpen("summary().get()");
    String json = values.get(key);
    return json == null ? null : PipelineSummary.readBack(json);
  }

  @Override
  public synchronized Map<String, Object> asMap() {
    run.checkOpen("summary().asMap()");
    return readBackAll();
  }

  /** The whole summary, also after finish (for the run's result). */
  synchronized Map<String, Object> readBackAll() {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, json) -> out.put(k, PipelineSummary.readBack(json)));
    return out;
  }
}
