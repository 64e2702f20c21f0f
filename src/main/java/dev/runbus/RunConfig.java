package dev.runbus;

import java.util.Map;

/** A run's hyperparameters: set at start ({@link Settings.Builder#config}) or any time later. */
public interface RunConfig {

  /** Sets one key; the value may be a number, boolean, string, null, list, array or nested map. */
  void set(String key, Object value);

  /** Sets every key of {@code values}. */
  void update(Map<String, ?> values);

  /** The value set for {@code key}, or null. */
  Object get(String key);

  /** A snapshot of the whole config. */
  Map<String, Object> asMap();
}
