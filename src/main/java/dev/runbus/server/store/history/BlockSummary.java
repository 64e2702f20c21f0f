package dev.runbus.server.store.history;

/**
 * What a sampled read needs of a block without decoding it: its step range, and its smallest and
 * largest values (NaN ignored) with where they occur. {@code hasValues} is false when the block
 * holds only NaN.
 */
record BlockSummary(
    long firstLine,
    long minStep,
    long maxStep,
    boolean hasValues,
    double minValue,
    long minValueStep,
    long minValueLine,
    double maxValue,
    long maxValueStep,
    long maxValueLine) {

  static BlockSummary of(Column c, int from, int to) {
    long minStep = Long.MAX_VALUE;
    long maxStep = Long.MIN_VALUE;
    int min = -1;
    int max = -1;
    for (int i = from; i < to; i++) {
      minStep = Math.min(minStep, c.steps[i]);
      maxStep = Math.max(maxStep, c.steps[i]);
      double v = c.values[i];
      if (Double.isNaN(v)) {
        continue;
      }
      if (min < 0
          || MinMaxBuckets.before(
              v, c.steps[i], c.lines[i], c.values[min], c.steps[min], c.lines[min])) {
        min = i;
      }
      if (max < 0
          || MinMaxBuckets.before(
              -v, c.steps[i], c.lines[i], -c.values[max], c.steps[max], c.lines[max])) {
        max = i;
      }
    }
    if (min < 0) {
      return new BlockSummary(c.lines[from], minStep, maxStep, false, 0, 0, 0, 0, 0, 0);
    }
    return new BlockSummary(
        c.lines[from],
        minStep,
        maxStep,
        true,
        c.values[min],
        c.steps[min],
        c.lines[min],
        c.values[max],
        c.steps[max],
        c.lines[max]);
  }
}
