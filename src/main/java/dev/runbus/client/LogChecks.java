package dev.runbus.client;

import dev.runbus.json.LogValues;
import java.util.Map;

/**
 * What a {@code log()} call is checked for on the caller's thread, before anything of it is kept:
 * the same code for a tracked run and a disabled one, so that a library that tracks optionally
 * meets the same errors whether its user switched tracking off or not.
 */
final class LogChecks {

  private LogChecks() {}

  static IllegalArgumentException nullRow() {
    return new IllegalArgumentException("log() row must not be null");
  }

  /**
   * Checks every key and copies every value of {@code row} into {@code keys} and {@code values}
   * (each {@code row.size()} long), in the row's order; returns how many.
   *
   * @throws IllegalArgumentException for the first bad key or value, or a row that changed while it
   *     was being copied; nothing of the row may then be kept
   */
  static int copyInto(Map<String, ?> row, String[] keys, Object[] values) {
    int n = 0;
    for (Map.Entry<String, ?> entry : row.entrySet()) {
      Object key = entry.getKey();
      if (!(key instanceof String)) {
        throw new IllegalArgumentException(
            "log() keys must be strings, got "
                + (key == null ? "null" : key.getClass().getName() + " " + key));
      }
      String name = (String) key;
      LogValues.checkKey(name);
      if (n == keys.length) {
        throw new IllegalArgumentException(
            "log() row changed while it was being copied; log a map nobody else is modifying");
      }
      values[n] = LogValues.copyValue(name, entry.getValue());
      keys[n++] = name;
    }
    return n;
  }

  /** Strict steps (§2.3): a row at a step lower than the current one is refused, not dropped. */
  static IllegalArgumentException lowerStep(long step, long current) {
    return new IllegalArgumentException(
        "log() step "
            + step
            + " is lower than the current step "
            + current
            + "; steps must increase (strict steps are on)");
  }

  /** A call made after {@code finish()}. */
  static IllegalStateException finished(String call, String runId) {
    return new IllegalStateException(call + " on run " + runId + ", which is already finished");
  }
}
