package dev.runbus.client;

/**
 * A run's clock: one wall-clock reading at start, then the monotonic clock, so a run's timestamps
 * never go back when the system clock is set.
 */
final class RunClock {

  /** The run's start, Unix seconds. */
  final double startSeconds;

  private final long startNanos;

  private RunClock(double startSeconds, long startNanos) {
    this.startSeconds = startSeconds;
    this.startNanos = startNanos;
  }

  static RunClock start() {
    long startNanos = System.nanoTime();
    return new RunClock(System.currentTimeMillis() / 1000.0, startNanos);
  }

  /** Unix seconds now. */
  double now() {
    return startSeconds + (System.nanoTime() - startNanos) / 1e9;
  }
}
