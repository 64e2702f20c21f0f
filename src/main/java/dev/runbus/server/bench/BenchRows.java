package dev.runbus.server.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * History lines as W&B's clients send them: {@code metrics} floats named m0, m1, … plus
 * {@code _step}, {@code _runtime} and {@code _timestamp}. Values follow a noisy decay, so sampled
 * reads have minima and maxima to keep.
 */
final class BenchRows {
  private final int metrics;
  private final double startSeconds;

  BenchRows(int metrics, double startSeconds) {
    this.metrics = metrics;
    this.startSeconds = startSeconds;
  }

  String line(long step) {
    StringBuilder line = new StringBuilder(32 + metrics * 24);
    line.append('{');
    for (int m = 0; m < metrics; m++) {
      line.append("\"m").append(m).append("\":").append(value(step, m)).append(',');
    }
    double runtime = step * 0.001;
    line.append("\"_step\":").append(step);
    line.append(",\"_runtime\":").append(runtime);
    line.append(",\"_timestamp\":").append(startSeconds + runtime);
    return line.append('}').toString();
  }

  List<String> lines(long firstStep, int count) {
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      lines.add(line(firstStep + i));
    }
    return lines;
  }

  static double value(long step, int metric) {
    // a deterministic wobble (no Random: both ends of a check can recompute it)
    long h = (step * 0x9E3779B97F4A7C15L) ^ (metric * 0xC2B2AE3D27D4EB4FL);
    h ^= h >>> 31;
    double noise = ((h & 0xFFFF) / 65535.0 - 0.5) * 0.1;
    return (metric + 1) / (1.0 + step * 1e-4) + noise;
  }
}
