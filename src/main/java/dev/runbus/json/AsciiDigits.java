package dev.runbus.json;

/** Decimal digits written straight into a byte array, for encoders that build JSON text in place. */
public final class AsciiDigits {

  private AsciiDigits() {}

  /**
   * Writes {@code value} in decimal ({@code -12}, {@code 0}, {@code 1795734930}) at {@code at};
   * returns the position after it. {@code Long.MIN_VALUE} is not supported.
   */
  public static int write(long value, byte[] out, int at) {
    if (value < 0) {
      out[at++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    for (int i = at + digits - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + digits;
  }
}
