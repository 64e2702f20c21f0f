package dev.runbus.report;

/** One-line charts of a series with the eight block characters W&B's footer uses. */
public final class Sparklines {

  private static final char[] BARS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

  private Sparklines() {}

  /**
   * Renders {@code values} in at most {@code width} characters: longer series are averaged into
   * {@code width} evenly sized buckets; non-finite values are left out of the scale and drawn as
   * spaces.
   */
  public static String render(double[] values, int width) {
    double[] points = downsample(values, width);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : points) {
      if (Double.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    StringBuilder line = new StringBuilder(points.length);
    for (double v : points) {
      if (!Double.isFinite(v)) {
        line.append(' ');
      } else if (max == min) {
        line.append(BARS[0]);
      } else {
        int bar = (int) Math.round((v - min) / (max - min) * (BARS.length - 1));
        line.append(BARS[bar]);
      }
    }
    return line.toString();
  }

  static double[] downsample(double[] values, int width) {
    if (values.length <= width) {
      return values;
    }
    double[] out = new double[width];
    for (int i = 0; i < width; i++) {
      int from = (int) ((long) i * values.length / width);
      int to = (int) ((long) (i + 1) * values.length / width);
      double sum = 0;
      int n = 0;
      for (int j = from; j < to; j++) {
        if (Double.isFinite(values[j])) {
          sum += values[j];
          n++;
        }
      }
      out[i] = n == 0 ? Double.NaN : sum / n;
    }
    return out;
  }
}
