package dev.runbus.handler;

import dev.runbus.proto.SampledHistoryItem;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * §2.6: one key's decimated history. Keeps every {@code stride}-th value from the first on; when 2k
 * are kept, every other one is dropped and the stride doubles, so between k and 2k evenly spaced
 * values remain, in order. A value is parsed only when it is kept.
 */
final class KeySamples {
  private final int k;
  private double[] values = new double[16];
  private boolean[] integral = new boolean[16];
  private int size;

  /** Numeric values offered so far; the next one has this index. */
  private long seen;

  /** A power of two, so "is this index kept" is a mask test. */
  private long stride = 1;

  KeySamples(int k) {
    this.k = k;
  }

  /**
   * Offers one value whose text already looks numeric or boolean.
   *
   * @return true when the value was kept (and therefore parsed)
   */
  boolean offer(String json) {
    long index = seen++;
    if ((index & (stride - 1)) != 0) {
      return false;
    }
    double value;
    try {
      value = JsonScalars.parseNumberOrBoolean(json);
    } catch (NumberFormatException e) {
      return false;
    }
    // values_int is int64: integers beyond its range are reported as floats
    keep(
        value,
        (JsonScalars.isIntegerToken(json) && Math.abs(value) < 0x1p63)
            || JsonScalars.isBoolean(json));
    return true;
  }

  /**
   * As {@link #offer(String)} for the ASCII text {@code text[from, to)}, made into a string only
   * when it is kept.
   */
  boolean offer(byte[] text, int from, int to) {
    if ((seen & (stride - 1)) != 0) {
      seen++;
      return false;
    }
    return offer(new String(text, from, to - from, StandardCharsets.ISO_8859_1));
  }

  /** As {@link #offer} for the text of {@code value} ({@code _step}), without making the text. */
  boolean offerInteger(long value) {
    long index = seen++;
    if ((index & (stride - 1)) != 0) {
      return false;
    }
    keep(value, Math.abs((double) value) < 0x1p63);
    return true;
  }

  private void keep(double value, boolean isIntegral) {
    if (size == values.length) {
      int capacity = Math.min(values.length * 2, 2 * k);
      values = Arrays.copyOf(values, capacity);
      integral = Arrays.copyOf(integral, capacity);
    }
    values[size] = value;
    integral[size] = isIntegral;
    size++;
    if (size == 2 * k) {
      halve();
    }
  }

  int size() {
    return size;
  }

  /** Keeps the values at even positions: indices 0, 2s, 4s, ... with stride s. */
  private void halve() {
    for (int i = 0; i < k; i++) {
      values[i] = values[2 * i];
      integral[i] = integral[2 * i];
    }
    size = k;
    stride *= 2;
  }

  /** {@code values_int} when every kept value came from integer JSON, else {@code values_float}. */
  SampledHistoryItem toItem(String key) {
    SampledHistoryItem.Builder item = SampledHistoryItem.newBuilder().setKey(key);
    boolean allIntegral = true;
    for (int i = 0; i < size; i++) {
      allIntegral &= integral[i];
    }
    for (int i = 0; i < size; i++) {
      if (allIntegral) {
        item.addValuesInt((long) values[i]);
      } else {
        item.addValuesFloat((float) values[i]);
      }
    }
    return item.build();
  }
}
