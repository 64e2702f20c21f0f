package dev.runbus.client;

import com.google.protobuf.Message;
import dev.runbus.json.JsonText;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * What an item waiting between {@code log()} and the disk costs the heap, estimated cheaply: no
 * allocation, no walk of anything but the row's own values. The values of a row are already
 * copies ({@code LogValues}: strings, boxed scalars, and containers as their JSON text), so a
 * string's length is the whole walk. Strings count two bytes per char, what a Java string may take;
 * that also covers the JSON text the pump makes of a Latin-1 string while both are alive.
 */
final class QueuedBytes {

  /** The row object, its two arrays and its queue node. */
  static final int ROW_OVERHEAD = 96;

  /** Per value: its slots in the row's arrays, and a boxed number or the string's header. */
  static final int VALUE_OVERHEAD = 32;

  /** A record's object graph beyond its serialized bytes. */
  static final int RECORD_OVERHEAD = 64;

  private QueuedBytes() {}

  static long of(Row row) {
    long bytes = ROW_OVERHEAD;
    Object[] values = row.values;
    for (int i = 0, n = row.size; i < n; i++) {
      bytes += VALUE_OVERHEAD + valueBytes(values[i]);
    }
    return bytes;
  }

  /** A record's serialized size (protobuf computes it once and keeps it) plus its objects. */
  static long of(Message record) {
    return RECORD_OVERHEAD + 2L * record.getSerializedSize();
  }

  /** Beyond {@link #VALUE_OVERHEAD}: the characters or digits a copied value holds. */
  static long valueBytes(Object value) {
    if (value instanceof String s) {
      return 2L * s.length();
    }
    if (value instanceof JsonText text) {
      return 2L * text.json().length();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() / 8;
    }
    if (value instanceof BigDecimal big) {
      return big.unscaledValue().bitLength() / 8;
    }
    return 0; // a boxed number, a boolean or null
  }
}
