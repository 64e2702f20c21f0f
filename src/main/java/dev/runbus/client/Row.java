package dev.runbus.client;

/**
 * One {@code log()} call as the caller's thread copied it: keys, values already validated and made
 * immutable, the explicit step (or {@link #NO_STEP}), the commit argument (or null), and the time
 * it was logged.
 */
final class Row {

  /**
   * The step of a row logged without one. Not -1: a negative explicit step is a step like any
   * other, lower than the current one, and the Handler drops and counts it as W&B does.
   */
  static final long NO_STEP = Long.MIN_VALUE;

  final String[] keys;
  final Object[] values;
  final int size;
  final long step;
  final Boolean commit;
  final double timestamp;
  final double runtime;

  Row(
      String[] keys,
      Object[] values,
      int size,
      long step,
      Boolean commit,
      double timestamp,
      double runtime) {
    this.keys = keys;
    this.values = values;
    this.size = size;
    this.step = step;
    this.commit = commit;
    this.timestamp = timestamp;
    this.runtime = runtime;
  }
}
