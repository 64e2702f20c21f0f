package dev.runbus.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** Which {@link Number}s are immutable, and how to freeze the ones that are not. */
final class Numbers {

  private static final double TWO_POW_53 = 0x1p53;

  private Numbers() {}

  /** The JDK's boxed primitives, which are final and immutable, so they can be kept as they are. */
  static boolean isImmutableBox(Number n) {
    return n instanceof Double
        || n instanceof Float
        || n instanceof Integer
        || n instanceof Long
        || n instanceof Short
        || n instanceof Byte;
  }

  /**
   * Returns an immutable number with the same value: boxes and exact {@code BigDecimal}/{@code
   * BigInteger} as they are, anything else as a {@code Long} or {@code Double} snapshot.
   */
  static Number snapshot(Number n) {
    if (isImmutableBox(n)) {
      return n;
    }
    // BigDecimal and BigInteger are not final; a subclass could be mutable or print oddly.
    if (n instanceof BigDecimal bd) {
      return bd.getClass() == BigDecimal.class
          ? bd
          : new BigDecimal(bd.unscaledValue(), bd.scale());
    }
    if (n instanceof BigInteger bi) {
      return bi.getClass() == BigInteger.class ? bi : new BigInteger(bi.toByteArray());
    }
    if (n instanceof AtomicInteger
        || n instanceof AtomicLong
        || n instanceof LongAdder
        || n instanceof LongAccumulator) {
      return n.longValue();
    }
    if (n instanceof DoubleAdder || n instanceof DoubleAccumulator) {
      return n.doubleValue();
    }
    return snapshotUnknown(n);
  }

  /**
   * A Number we know nothing about (a library's MutableInt, Fraction, …): keep it integral when its
   * value is a whole number that a double holds exactly, otherwise take its double value.
   */
  private static Number snapshotUnknown(Number n) {
    double d = n.doubleValue();
    long l = n.longValue();
    if (d == (double) l && Math.abs(d) <= TWO_POW_53) {
      return l;
    }
    return d;
  }
}
