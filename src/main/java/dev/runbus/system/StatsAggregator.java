package dev.runbus.system;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the samples of one interval into the values of one StatsRecord, by W&B's rules (wire
 * reference §7.2): the mean of the samples for most keys, the last sample for thread counts (and
 * the collectors' running totals), every value rounded to 2 decimals. A key missing from some
 * samples is the mean of the samples that had it. Holds one accumulator per key, whatever the
 * number of samples. Not thread-safe.
 */
public final class StatsAggregator {

  private static final class Accumulator {
    double sum;
    int count;
    double last;
  }

  private final Map<String, Accumulator> keys = new LinkedHashMap<>();

  public void add(Map<String, Double> sample) {
    sample.forEach(
        (key, value) -> {
          if (value == null || !Double.isFinite(value)) {
            return; // a reading that failed says nothing; JSON has no NaN
          }
          Accumulator a = keys.computeIfAbsent(key, k -> new Accumulator());
          a.sum += value;
          a.count++;
          a.last = value;
        });
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The interval's values, in the order keys first came; the next interval starts empty. */
  public Map<String, Double> drain() {
    Map<String, Double> out = new LinkedHashMap<>();
    keys.forEach(
        (key, a) -> out.put(key, round2(StatsKeys.lastWins(key) ? a.last : a.sum / a.count)));
    keys.clear();
    return out;
  }

  /** Rounded to 2 decimals, as W&B rounds its values. */
  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
