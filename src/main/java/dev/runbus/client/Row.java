package dev.runbus.client;

/**
 * One {@code log()} call as the caller's thread copied it: keys, values already validated and made
 * immutable, the explicit step (or -1), the commit argument (or null), and the time it was logged.
 */
final class Row {

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
