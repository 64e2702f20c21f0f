package dev.runbus;

import java.util.Map;

/**
 * A run's summary: by default the last value logged for each key, overridden by explicit sets, or
 * shaped by {@link Run#defineMetric} (min, max, mean…).
 */
public interface RunSummary {

  /** Sets {@code key} explicitly; a later logged value replaces it again. */
  void set(String key, Object value);

  /** Sets every key of {@code values} explicitly, as {@link #set} does one. */
  void update(Map<String, ?> values);

  /** Removes {@code key} from the summary, until a later logged value brings it back. */
  void remove(String key);

  /**
   * The current summary value of {@code key}: a number, boolean, string, list, or a map for nested
   * values and for metrics defined with summary flags ({@code {"max": 0.9}}). It asks the pipeline
   * for the whole summary, so it sees everything logged before, and blocks until it answers (a
   * dead pipeline gives up after 120 s).
   */
  Object get(String key);

  /** The whole current summary, fetched as {@link #get} fetches it. */
  Map<String, Object> asMap();
}
