package dev.runbus;

import java.util.Map;

/**
 * A run's summary: by default the last value logged for each key, overridden by explicit sets, or
 * shaped by {@link Run#defineMetric} (min, max, mean…).
 */
public interface RunSummary {

  /** Sets {@code key} explicitly; a later logged value replaces it again. */
  void set(String key, Object value);

  void update(Map<String, ?> values);

  void remove(String key);

  /**
   * The current summary value of {@code key} (asks the pipeline, so it sees everything logged
   * before).
   */
  Object get(String key);

  /** The whole current summary. */
  Map<String, Object> asMap();
}
