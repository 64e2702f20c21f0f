package dev.runbus.server.store.history;

import dev.runbus.server.store.RunData;
import java.util.Arrays;

/**
 * The sampling rule (docs/server.md): the key's step range {@code lo..hi} is cut into {@code n}
 * buckets of equal width, a step falling in bucket {@code floor((step - lo) * n / (hi - lo + 1))};
 * each bucket keeps its smallest and its largest value (NaN ignored; on a tie, the earliest step,
 * then the earliest line) and yields them in step order, once if they are the same point. Values
 * can be folded in any order, one by one or as a block's summary, and the result is the same.
 */
final class MinMaxBuckets {
  private final int n;
  private final long lo;
  private final double span;
  private final boolean[] filled;
  private final double[] minValue;
  private final long[] minStep;
  private final long[] minLine;
  private final double[] maxValue;
  private final long[] maxStep;
  private final long[] maxLine;

  MinMaxBuckets(int buckets, long lo, long hi) {
    n = Math.max(1, buckets);
    this.lo = lo;
    span = (double) hi - (double) lo + 1;
    filled = new boolean[n];
    minValue = new double[n];
    minStep = new long[n];
    minLine = new long[n];
    maxValue = new double[n];
    maxStep = new long[n];
    maxLine = new long[n];
  }

  int bucket(long step) {
    double b = Math.floor(((double) step - (double) lo) * n / span);
    return (int) Math.max(0, Math.min(n - 1, b));
  }

  /** Whether value {@code v} at (step, line) orders before {@code w} at its (step, line). */
  static boolean before(double v, long step, long line, double w, long wStep, long wLine) {
    if (v != w) {
      return v < w;
    }
    return step != wStep ? step < wStep : line < wLine;
  }

  void add(long step, long line, double v) {
    if (Double.isNaN(v)) {
      return;
    }
    int b = bucket(step);
    addMin(b, v, step, line);
    addMax(b, v, step, line);
  }

  /** Folds a block whose steps all fall into one bucket. */
  void add(BlockSummary s) {
    if (!s.hasValues()) {
      return;
    }
    int b = bucket(s.minStep());
    addMin(b, s.minValue(), s.minValueStep(), s.minValueLine());
    addMax(b, s.maxValue(), s.maxValueStep(), s.maxValueLine());
  }

  private void addMin(int b, double v, long step, long line) {
    if (!filled[b] || before(v, step, line, minValue[b], minStep[b], minLine[b])) {
      minValue[b] = v;
      minStep[b] = step;
      minLine[b] = line;
    }
    if (!filled[b]) {
      maxValue[b] = v;
      maxStep[b] = step;
      maxLine[b] = line;
      filled[b] = true;
    }
  }

  private void addMax(int b, double v, long step, long line) {
    if (before(-v, step, line, -maxValue[b], maxStep[b], maxLine[b])) {
      maxValue[b] = v;
      maxStep[b] = step;
      maxLine[b] = line;
    }
  }

  RunData.SampledHistory.Series series(String key) {
    long[] steps = new long[2 * n];
    double[] values = new double[2 * n];
    long[] lines = new long[2 * n];
    int k = 0;
    for (int b = 0; b < n; b++) {
      if (!filled[b]) {
        continue;
      }
      if (minLine[b] == maxLine[b]) {
        steps[k] = minStep[b];
        lines[k] = minLine[b];
        values[k++] = minValue[b];
        continue;
      }
      boolean minFirst =
          minStep[b] != maxStep[b] ? minStep[b] < maxStep[b] : minLine[b] < maxLine[b];
      steps[k] = minFirst ? minStep[b] : maxStep[b];
      lines[k] = minFirst ? minLine[b] : maxLine[b];
      values[k++] = minFirst ? minValue[b] : maxValue[b];
      steps[k] = minFirst ? maxStep[b] : minStep[b];
      lines[k] = minFirst ? maxLine[b] : minLine[b];
      values[k++] = minFirst ? maxValue[b] : minValue[b];
    }
    return new RunData.SampledHistory.Series(
        key, Arrays.copyOf(steps, k), Arrays.copyOf(values, k), Arrays.copyOf(lines, k), null);
  }
}
