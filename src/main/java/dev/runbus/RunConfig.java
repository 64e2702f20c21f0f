package dev.runbus;

import java.util.Map;

/** A run's hyperparameters: set at start ({@link Settings.Builder#config}) or any time later. */
public interface RunConfig {

  /** Sets one key; the value may be a number, boolean, string, null, list, array or nested map. */
  void set(String key, Object value);

  /** Sets every key of {@code values}. */
  void update(Map<String, ?> values);

  /**
   * The value set for {@code key}, or null: numbers and strings as they were set, containers as
   * plain maps and lists (integers as {@code Long}). It reads a local copy: it never blocks, and
   * works after the run finished.
   */
  Object get(String key);

  /** A snapshot of the whole config, as {@link #get} returns each value. */
  Map<String, Object> asMap();
}
