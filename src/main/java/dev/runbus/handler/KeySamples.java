package dev.runbus.handler;

import dev.runbus.proto.SampledHistoryItem;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * §2.6: one key's decimated history, as W&B's legacy sampler keeps it: the last value of every
 * {@code stride} values; when 2k are kept, the first of each pair is dropped and the stride
 * doubles, so between k and 2k evenly spaced values remain, in order, ending near the newest
 * (k=64: 1,000 values 0..999 keep 7,15,…,999). A value is parsed only when it is kept.
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
    if (!keeps(index)) {
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
    if (!keeps(seen)) {
      seen++;
      return false;
    }
    return offer(new String(text, from, to - from, StandardCharsets.ISO_8859_1));
  }

  /** As {@link #offer} for the text of {@code value} ({@code _step}), without making the text. */
  boolean offerInteger(long value) {
    long index = seen++;
    if (!keeps(index)) {
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

  /** The last index of each window of {@code stride}: stride-1, 2·stride-1, ... */
  private boolean keeps(long index) {
    return (index & (stride - 1)) == stride - 1;
  }

  /** Keeps the second of each pair, so what is kept stays the last of each (doubled) window. */
  private void halve() {
    for (int i = 0; i < k; i++) {
      values[i] = values[2 * i + 1];
      integral[i] = integral[2 * i + 1];
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
