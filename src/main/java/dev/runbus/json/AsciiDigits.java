package dev.runbus.json;

/** Decimal digits written straight into a byte array, for encoders that build JSON text in place. */
public final class AsciiDigits {

  private AsciiDigits() {}

  private static final byte[] MIN_VALUE =
      Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Writes {@code value} in decimal ({@code -12}, {@code 0}, {@code 1795734930}) at {@code at};
   * returns the position after it.
   */
  public static int write(long value, byte[] out, int at) {
    if (value == Long.MIN_VALUE) { // the one value whose negation is itself
      System.arraycopy(MIN_VALUE, 0, out, at, MIN_VALUE.length);
      return at + MIN_VALUE.length;
    }
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
