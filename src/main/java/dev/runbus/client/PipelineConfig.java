package dev.runbus.client;

import dev.runbus.RunConfig;
import dev.runbus.json.JsonText;
import dev.runbus.json.JsonValues;
import dev.runbus.json.JsonWriter;
import dev.runbus.json.LogValues;
import dev.runbus.json.UnicodeText;
import dev.runbus.proto.ConfigItem;
import dev.runbus.proto.ConfigRecord;
import dev.runbus.proto.Record;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's config as the caller sees it (a local copy, so reads cost nothing) and as the pipeline
 * sees it (one config record per change, in log order).
 */
final class PipelineConfig implements RunConfig {

  private final PipelineRun run;
  private final Map<String, Object> values = new LinkedHashMap<>();

  PipelineConfig(PipelineRun run) {
    this.run = run;
  }

  /**
   * Checks and copies the config given at init, before anything of the run exists.
   *
   * @throws IllegalArgumentException naming the first bad key or value
   */
  static Map<String, Object> checkedCopy(Map<String, ?> config) {
    Map<String, Object> copy = new LinkedHashMap<>();
    config.forEach((k, v) -> copy.put(checkKey(k), LogValues.copyValue("config", k, v)));
    return copy;
  }

  /** The config given at init, from {@link #checkedCopy}; it travels inside the run record. */
  synchronized void initial(Map<String, Object> checked) {
    values.putAll(checked);
  }

  synchronized ConfigRecord asRecord() {
    ConfigRecord.Builder record = ConfigRecord.newBuilder();
    values.forEach((k, v) -> record.addUpdate(item(k, v)));
    return record.build();
  }

  @Override
  public synchronized void set(String key, Object value) {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put(checkKey(key), value);
    update(one);
  }

  @Override
  public synchronized void update(Map<String, ?> changes) {
    if (!run.acceptsCalls("config().update()")) {
      return; // the JVM's exit finished the run
    }
    Map<String, Object> copies = checkedCopy(changes);
    ConfigRecord.Builder record = ConfigRecord.newBuilder();
    copies.forEach((k, v) -> record.addUpdate(item(k, v)));
    values.putAll(copies);
    run.putIfOpen("config().update()", Record.newBuilder().setConfig(record).build());
  }

  @Override
  public synchronized Object get(String key) {
    return readBack(values.get(key));
  }

  /** {@link #readBack} of every value, in order. */
  static Map<String, Object> readBackAll(Map<String, Object> copies) {
    Map<String, Object> out = new LinkedHashMap<>();
    copies.forEach((k, v) -> out.put(k, readBack(v)));
    return out;
  }

  /** A kept copy as the caller sees it: containers come back as plain maps and lists. */
  static Object readBack(Object copy) {
    return copy instanceof JsonText text ? JsonValues.parse(text.json()) : copy;
  }

  @Override
  public synchronized Map<String, Object> asMap() {
    return readBackAll(values);
  }

  private static ConfigItem item(String key, Object copy) {
    return ConfigItem.newBuilder().setKey(key).setValueJson(JsonWriter.toJson(copy)).build();
  }

  /** A config key as it is checked before anything else of a call. */
  static String checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException(
          "config key must not be " + (key == null ? "null" : "empty"));
    }
    if (key.length() > LogValues.MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "config key \""
              + key.substring(0, 60)
              + "…\" has "
              + key.length()
              + " characters; the limit is "
              + LogValues.MAX_KEY_LENGTH);
    }
    if (key.equals("_wandb")) {
      throw new IllegalArgumentException(
          "config key \"_wandb\" is reserved for the tracker's own block");
    }
    return UnicodeText.requireValid("config key", key);
  }
}
