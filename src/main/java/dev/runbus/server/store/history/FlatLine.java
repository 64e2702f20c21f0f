package dev.runbus.server.store.history;

import com.fasterxml.jackson.core.io.NumberInput;

/**
 * The fast path of {@link LineParser} for the lines W&B's clients send most: one flat object of
 * plain numbers. It reads such a line straight from its characters, with the results Jackson's
 * reading gives (the same doubles, integers and {@code _step}), and gives up on anything else
 * (nested objects, strings, NaN, escapes in keys, big integers, malformed JSON), leaving it to the
 * general parser. Keys are reused from the previous line when they match, so a batch of lines of
 * the same keys holds one string per key. Not thread-safe.
 */
final class FlatLine {
  private static final long EXACT_MANTISSA = 1L << 53;
  private static final int MAX_LONG_DIGITS = 18;
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = p; // exact up to 10^22
      p *= 10;
    }
  }

  private String[] lastKeys = new String[16];

  /** Reads the line into {@code out}; false (and {@code out} partly filled) when it cannot. */
  boolean parse(LineParser out, String s) {
    int n = s.length();
    int i = skipSpace(s, 0, n);
    if (i >= n || s.charAt(i) != '{') {
      return false;
    }
    i = skipSpace(s, i + 1, n);
    if (i < n && s.charAt(i) == '}') {
      return skipSpace(s, i + 1, n) == n;
    }
    for (int field = 0; ; field++) {
      if (i >= n || s.charAt(i) != '"') {
        return false;
      }
      int keyStart = ++i;
      while (i < n) {
        char c = s.charAt(i);
        if (c == '"') {
          break;
        }
        if (c == '\\' || c < 0x20) {
          return false;
        }
        i++;
      }
      if (i >= n) {
        return false;
      }
      String key = key(s, keyStart, i, field);
      i = skipSpace(s, i + 1, n);
      if (i >= n || s.charAt(i) != ':') {
        return false;
      }
      i = number(out, key, s, skipSpace(s, i + 1, n), n);
      if (i < 0) {
        return false;
      }
      i = skipSpace(s, i, n);
      if (i >= n) {
        return false;
      }
      char c = s.charAt(i);
      if (c == '}') {
        return skipSpace(s, i + 1, n) == n;
      }
      if (c != ',') {
        return false;
      }
      i = skipSpace(s, i + 1, n);
    }
  }

  /**
   * Reads a JSON number at {@code i} into {@code out}; returns the index after it, or -1 when there
   * is no plain number there (or an integer too long for a long, which Jackson reads otherwise).
   */
  private static int number(LineParser out, String key, String s, int i, int n) {
    int start = i;
    boolean negative = i < n && s.charAt(i) == '-';
    if (negative) {
      i++;
    }
    if (i >= n) {
      return -1;
    }
    // the digits as mantissa * 10^exponent, while the mantissa has at most 18 significant digits
    long mantissa = 0;
    int significant = 0;
    int exponent = 0;
    boolean tooLong = false;
    char c = s.charAt(i);
    if (c == '0') {
      i++;
    } else if (c >= '1' && c <= '9') {
      while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
        if (significant < MAX_LONG_DIGITS) {
          mantissa = mantissa * 10 + (c - '0');
          significant++;
        } else {
          tooLong = true;
        }
        i++;
      }
    } else {
      return -1;
    }
    boolean isFloat = false;
    if (i < n && s.charAt(i) == '.') {
      isFloat = true;
      int from = ++i;
      while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
        if (significant < MAX_LONG_DIGITS) {
          mantissa = mantissa * 10 + (c - '0');
          exponent--;
          significant += mantissa == 0 ? 0 : 1; // leading zeros are not significant
        } else {
          tooLong = true;
        }
        i++;
      }
      if (i == from) {
        return -1;
      }
    }
    if (i < n && ((c = s.charAt(i)) == 'e' || c == 'E')) {
      isFloat = true;
      i++;
      boolean negativeExponent = false;
      if (i < n && ((c = s.charAt(i)) == '+' || c == '-')) {
        negativeExponent = c == '-';
        i++;
      }
      int from = i;
      int e = 0;
      while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
        e = Math.min(e * 10 + (c - '0'), 100_000);
        i++;
      }
      if (i == from) {
        return -1;
      }
      exponent += negativeExponent ? -e : e;
    }
    if (!isFloat) {
      if (tooLong) {
        return -1;
      }
      out.addTopInt(key, negative ? -mantissa : mantissa);
      return i;
    }
    double value;
    if (!tooLong && mantissa < EXACT_MANTISSA && exponent >= -22 && exponent <= 22) {
      // both operands are exact, so the one rounding of the division or product is the right one
      double m = mantissa;
      value = exponent < 0 ? m / POWERS_OF_TEN[-exponent] : m * POWERS_OF_TEN[exponent];
      value = negative ? -value : value;
    } else {
      value = NumberInput.parseDouble(s.substring(start, i), true);
    }
    out.addTopFloat(key, value);
    return i;
  }

  /** The key of field {@code field}: the previous line's string when the characters match. */
  private String key(String s, int from, int to, int field) {
    if (field >= lastKeys.length) {
      lastKeys = java.util.Arrays.copyOf(lastKeys, Math.max(field + 1, lastKeys.length * 2));
    }
    String last = lastKeys[field];
    int len = to - from;
    if (last != null && last.length() == len && s.regionMatches(from, last, 0, len)) {
      return last;
    }
    String key = s.substring(from, to);
    lastKeys[field] = key;
    return key;
  }

  private static int skipSpace(String s, int i, int n) {
    while (i < n) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return i;
      }
      i++;
    }
    return i;
  }
}
