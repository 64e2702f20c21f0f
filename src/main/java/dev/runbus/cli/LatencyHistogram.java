package dev.runbus.cli;

/**
 * Per-call latencies in fixed memory, however many calls: 25 ns buckets up to 100 µs, 10 µs buckets
 * up to 10 ms, and one overflow bucket. Percentiles are reported at the bucket's upper edge, so
 * they never flatter.
 */
final class LatencyHistogram {

  private static final int FINE_NANOS = 25;
  private static final int FINE_BUCKETS = 4_000;
  private static final int COARSE_NANOS = 10_000;
  private static final int COARSE_BUCKETS = 1_000;

  private final long[] fine = new long[FINE_BUCKETS];
  private final long[] coarse = new long[COARSE_BUCKETS];
  private long overflow;
  private long max;
  private long count;

  void record(long nanos) {
    count++;
    max = Math.max(max, nanos);
    long fineIndex = nanos / FINE_NANOS;
    if (fineIndex < FINE_BUCKETS) {
      fine[(int) fineIndex]++;
      return;
    }
    long coarseIndex = nanos / COARSE_NANOS;
    if (coarseIndex < COARSE_BUCKETS) {
      coarse[(int) coarseIndex]++;
    } else {
      overflow++;
    }
  }

  /** The latency under which {@code quantile} of the calls fell, in microseconds. */
  double percentileMicros(double quantile) {
    if (count == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(quantile * count);
    long seen = 0;
    for (int i = 0; i < FINE_BUCKETS; i++) {
      seen += fine[i];
      if (seen >= rank) {
        return (i + 1) * FINE_NANOS / 1000.0;
      }
    }
    for (int i = FINE_BUCKETS * FINE_NANOS / COARSE_NANOS; i < COARSE_BUCKETS; i++) {
      seen += coarse[i];
      if (seen >= rank) {
        return (i + 1) * (double) COARSE_NANOS / 1000.0;
      }
    }
    return max / 1000.0;
  }

  double maxMicros() {
    return max / 1000.0;
  }
}
