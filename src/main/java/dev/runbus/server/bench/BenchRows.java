package dev.runbus.server.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * History lines as W&B's clients send them: {@code metrics} floats named m0, m1, … plus
 * {@code _step}, {@code _runtime} and {@code _timestamp}. Values follow a noisy decay, so sampled
 * reads have minima and maxima to keep. Metrics are written with 15 decimals (trailing zeros
 * dropped), as long as the repr of a Python float, by integer arithmetic rather than {@link
 * Double#toString}: the benchmark's client must cost little CPU on a machine it shares with the
 * server it measures.
 */
final class BenchRows {
  static final int METRIC_DECIMALS = 15;
  private static final long METRIC_SCALE = 1_000_000_000_000_000L;
  private static final byte[] HISTORY_POST_HEAD =
      "{\"files\":{\"wandb-history.jsonl\":{\"offset\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HISTORY_POST_TAIL = "]}}}".getBytes(StandardCharsets.US_ASCII);

  private final int metrics;
  private final long startMicros;
  private final byte[][] metricNames;

  BenchRows(int metrics, double startSeconds) {
    this.metrics = metrics;
    this.startMicros = Math.round(startSeconds * 1e6);
    this.metricNames = new byte[metrics][];
    for (int m = 0; m < metrics; m++) {
      metricNames[m] = ("m" + m).getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** One history line, as JSON text. */
  String line(long step) {
    Out out = new Out(64 + metrics * 24);
    writeLine(out, step, false);
    return new String(out.bytes, 0, out.size, StandardCharsets.UTF_8);
  }

  /**
   * The body of a FileStream post of lines {@code offset .. offset + count - 1} of
   * wandb-history.jsonl, in W&B's envelope; line i has step i.
   */
  byte[] historyPost(long offset, int count) {
    Out out = new Out(64 + count * (48 + metrics * 26));
    out.put(HISTORY_POST_HEAD);
    out.putLong(offset);
    out.put(",\"content\":[");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.put(',');
      }
      out.put('"');
      writeLine(out, offset + i, true);
      out.put('"');
    }
    out.put(HISTORY_POST_TAIL);
    return Arrays.copyOf(out.bytes, out.size);
  }

  /** The line's JSON; inside a JSON string its quotes are escaped. */
  private void writeLine(Out out, long step, boolean inString) {
    out.put('{');
    for (int m = 0; m < metrics; m++) {
      quoted(out, metricNames[m], inString);
      out.put(':');
      out.putFixed(metricUnits(step, m), METRIC_DECIMALS);
      out.put(',');
    }
    long runtimeMicros = step * 1000;
    quoted(out, "_step", inString);
    out.put(':');
    out.putLong(step);
    out.put(',');
    quoted(out, "_runtime", inString);
    out.put(':');
    out.putFixed(runtimeMicros, 6);
    out.put(',');
    quoted(out, "_timestamp", inString);
    out.put(':');
    out.putFixed(startMicros + runtimeMicros, 6);
    out.put('}');
  }

  private static void quoted(Out out, byte[] name, boolean inString) {
    quote(out, inString);
    out.put(name);
    quote(out, inString);
  }

  private static void quoted(Out out, String name, boolean inString) {
    quote(out, inString);
    out.put(name);
    quote(out, inString);
  }

  private static void quote(Out out, boolean inString) {
    if (inString) {
      out.put('\\');
    }
    out.put('"');
  }

  /** The value of a metric at a step (what its line holds, to the last decimal written). */
  static double value(long step, int metric) {
    return metricUnits(step, metric) / (double) METRIC_SCALE;
  }

  /** The value in units of 10^-15. */
  private static long metricUnits(long step, int metric) {
    // a deterministic wobble (no Random: both ends of a check can recompute it)
    long h = (step * 0x9E3779B97F4A7C15L) ^ (metric * 0xC2B2AE3D27D4EB4FL);
    h ^= h >>> 31;
    double noise = ((h & 0xFFFF) / 65535.0 - 0.5) * 0.1;
    return Math.round(((metric + 1) / (1.0 + step * 1e-4) + noise) * METRIC_SCALE);
  }

  /** A growing byte buffer that writes ASCII JSON. */
  private static final class Out {
    byte[] bytes;
    int size;
    private final byte[] digits = new byte[20];

    Out(int capacity) {
      bytes = new byte[capacity];
    }

    void put(char c) {
      room(1);
      bytes[size++] = (byte) c;
    }

    void put(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, bytes, size, b.length);
      size += b.length;
    }

    void put(String ascii) {
      room(ascii.length());
      for (int i = 0; i < ascii.length(); i++) {
        bytes[size++] = (byte) ascii.charAt(i);
      }
    }

    void putLong(long v) {
      if (v < 0) {
        put('-');
        v = -v;
      }
      int n = 0;
      do {
        digits[n++] = (byte) ('0' + v % 10);
        v /= 10;
      } while (v > 0);
      room(n);
      while (n > 0) {
        bytes[size++] = digits[--n];
      }
    }

    /** {@code units * 10^-decimals} in plain decimals, trailing zeros dropped but one. */
    void putFixed(long units, int decimals) {
      if (units < 0) {
        put('-');
        units = -units;
      }
      long scale = 1;
      for (int i = 0; i < decimals; i++) {
        scale *= 10;
      }
      putLong(units / scale);
      long fraction = units % scale;
      int kept = decimals;
      while (kept > 1 && fraction % 10 == 0) {
        fraction /= 10;
        kept--;
      }
      room(kept + 1);
      bytes[size++] = '.';
      for (int i = kept - 1; i >= 0; i--) {
        bytes[size + i] = (byte) ('0' + fraction % 10);
        fraction /= 10;
      }
      size += kept;
    }

    private void room(int n) {
      if (size + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
      }
    }
  }
}
