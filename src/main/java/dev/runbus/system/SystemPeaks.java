package dev.runbus.system;

/**
 * The highest system readings of a run, for the end-of-run report: the process's CPU (percent of
 * all cores, as {@code system.cpu}), the heap in use and its limit, and the busiest GPU's
 * utilization. A figure never read is NaN (a GPU on a machine without one) or -1 (bytes).
 */
public record SystemPeaks(
    double cpuPercent, long heapUsedBytes, long heapMaxBytes, double gpuPercent) {

  /** Nothing was sampled: stats were off, or the run was disabled. */
  public static final SystemPeaks NONE = new SystemPeaks(Double.NaN, -1, -1, Double.NaN);

  public boolean isEmpty() {
    return Double.isNaN(cpuPercent) && heapUsedBytes < 0 && Double.isNaN(gpuPercent);
  }

  /** These peaks and one more sample's readings. */
  SystemPeaks with(double cpu, long heapUsed, long heapMax, double gpu) {
    return new SystemPeaks(
        max(cpuPercent, cpu),
        Math.max(heapUsedBytes, heapUsed),
        Math.max(heapMaxBytes, heapMax),
        max(gpuPercent, gpu));
  }

  private static double max(double a, double b) {
    if (Double.isNaN(a)) {
      return b;
    }
    return Double.isNaN(b) ? a : Math.max(a, b);
  }
}
