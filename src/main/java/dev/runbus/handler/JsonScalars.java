package dev.runbus.handler;

import com.fasterxml.jackson.core.io.NumberInput;

/**
 * Cheap checks and conversions on one value_json text that holds a scalar, without a JSON parser:
 * the hot path keeps values as strings and only these helpers look inside them.
 */
final class JsonScalars {
  private JsonScalars() {}

  /** True when the text starts like a JSON number or a non-finite token (§1.8). */
  static boolean looksNumber(String json) {
    if (json.isEmpty()) {
      return false;
    }
    char c = json.charAt(0);
    return (c >= '0' && c <= '9') || c == '-' || c == 'N' || c == 'I';
  }

  /** §2.6: booleans count as numbers for sampling (true = 1, false = 0). */
  static boolean looksNumberOrBoolean(String json) {
    return !json.isEmpty() && looksNumberOrBoolean(json.charAt(0));
  }

  /** As {@link #looksNumberOrBoolean(String)} for a text starting with {@code c}. */
  static boolean looksNumberOrBoolean(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == 'N' || c == 'I' || c == 't' || c == 'f';
  }

  /** True for an integer JSON token such as {@code 42} or {@code -7} (no fraction, no exponent). */
  static boolean isIntegerToken(String json) {
    int n = json.length();
    int i = (n > 0 && json.charAt(0) == '-') ? 1 : 0;
    if (i == n) {
      return false;
    }
    for (; i < n; i++) {
      char c = json.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * The value of a number or non-finite token; {@code Double.NaN} for the token {@code NaN}.
   *
   * @throws NumberFormatException when the text is not a number
   */
  static double parseNumber(String json) {
    // Jackson's bundled fast parser: several times faster than Double.parseDouble on 17-digit
    // reprs, same results, and it reads NaN and ±Infinity too
    return NumberInput.parseDouble(json, true);
  }

  /** Like {@link #parseNumber} but {@code true}/{@code false} give 1/0. */
  static double parseNumberOrBoolean(String json) {
    if (json.equals("true")) {
      return 1;
    }
    if (json.equals("false")) {
      return 0;
    }
    return parseNumber(json);
  }

  static boolean isBoolean(String json) {
    return json.equals("true") || json.equals("false");
  }

  /** §1.8: Java's shortest repr for finite values, bare tokens for the non-finite ones. */
  static String formatDouble(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    return Double.toString(v);
  }

  /** Below this magnitude every integer is exact in a double. */
  static final double MAX_EXACT_INTEGER = 9007199254740992.0; // 2^53

  /**
   * A computed number: integral results of integer-only inputs stay integers ({@code 2}, not {@code
   * 2.0}); everything else as {@link #formatDouble}.
   */
  static String formatComputed(double v, boolean fromIntegers) {
    if (fromIntegers && v == Math.rint(v) && Math.abs(v) < MAX_EXACT_INTEGER) {
      return Long.toString((long) v);
    }
    return formatDouble(v);
  }
}
