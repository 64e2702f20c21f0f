package dev.runbus.json;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Compact JSON encoder that appends to a {@link StringBuilder}, following W&amp;B's {@code
 * value_json} rules: non-finite floats are the bare tokens {@code NaN}, {@code Infinity} and {@code
 * -Infinity}; doubles and floats use their shortest round-trip representation.
 *
 * <p>Stateless and thread-safe. It allocates only the builder's growth and one short string per
 * floating-point number.
 *
 * <p>Kept by hand for W&amp;B's rules more than for speed, though it is faster too: 672 ns for a
 * seven-key nested value against 836 for Jackson's databind writer set up for bare NaN (JMH,
 * {@code JsonWriterBenchmark}, docs/benchmarks.md). Jackson would also write an unpaired
 * surrogate as it is, which then cannot be encoded as UTF-8, and would need its own adapters for
 * arrays, enums and {@link JsonText}.
 */
public final class JsonWriter {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private JsonWriter() {}

  /** Encodes one value; see {@link #appendValue} for what is accepted. */
  public static String toJson(Object value) {
    if (value instanceof Number n) {
      return numberToJson(n);
    }
    StringBuilder sb = new StringBuilder(32);
    appendValue(sb, value);
    return sb.toString();
  }

  /**
   * Appends the JSON text of {@code value}: {@code null}, {@link Boolean}, {@link String}, {@link
   * Character}, any {@link Number}, an enum constant (its name), {@link JsonText} (verbatim), and
   * {@link java.util.Map}s with String keys, {@link java.util.Collection}s and arrays of these.
   *
   * @throws IllegalArgumentException for any other type, a cycle, a non-String map key, a map key
   *     longer than {@link LogValues#MAX_NESTED_KEY_LENGTH} or nesting deeper than {@link
   *     LogValues#MAX_DEPTH}; {@code sb} may then hold a partial value
   */
  public static void appendValue(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Number n) {
      appendNumber(sb, n);
    } else if (value instanceof String s) {
      appendString(sb, s);
    } else if (value instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (value instanceof JsonText t) {
      sb.append(t.json());
    } else {
      new ValueEncoder(sb, null, null).append(value);
    }
  }

  /** Fast path for a single number, as used for {@code value_json} of scalars. */
  public static String numberToJson(Number n) {
    if (n instanceof Double d) {
      return doubleToJson(d);
    }
    if (n instanceof Float f) {
      return floatToJson(f);
    }
    if (n instanceof Integer i) {
      return Integer.toString(i);
    }
    if (n instanceof Long l) {
      return Long.toString(l);
    }
    StringBuilder sb = new StringBuilder(24);
    appendNumber(sb, n);
    return sb.toString();
  }

  /**
   * Appends any Number: integers in decimal, {@code BigDecimal} via {@code toString()} (always
   * valid JSON, e.g. {@code 1E+3}), other number types as a snapshot of their current value.
   */
  public static void appendNumber(StringBuilder sb, Number n) {
    if (n instanceof Double d) {
      appendDouble(sb, d);
    } else if (n instanceof Integer
        || n instanceof Long
        || n instanceof Short
        || n instanceof Byte) {
      sb.append(n.longValue());
    } else if (n instanceof Float f) {
      appendFloat(sb, f);
    } else if (n instanceof BigInteger || n instanceof BigDecimal) {
      sb.append(Numbers.snapshot(n).toString());
    } else {
      appendNumber(sb, Numbers.snapshot(n));
    }
  }

  /** Appends the shortest text that parses back to exactly {@code d}, or a non-finite token. */
  public static void appendDouble(StringBuilder sb, double d) {
    sb.append(doubleToJson(d));
  }

  /**
   * Like {@link #appendDouble} with the float's own shortest text: {@code 0.1f} gives {@code 0.1}.
   */
  public static void appendFloat(StringBuilder sb, float f) {
    sb.append(floatToJson(f));
  }

  static String doubleToJson(double d) {
    if (Double.isFinite(d)) {
      // Jackson's Schubfach port: shortest round-trip digits, e.g. "0.1", "1.0E-5" (valid JSON).
      return NumberOutput.toString(d, true);
    }
    return nonFinite(d);
  }

  static String floatToJson(float f) {
    if (Float.isFinite(f)) {
      byte[] text = new byte[FloatText.MAX_LENGTH];
      return new String(text, 0, FloatText.write(f, text, 0), StandardCharsets.ISO_8859_1);
    }
    return nonFinite(f);
  }

  private static String nonFinite(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    return d > 0 ? "Infinity" : "-Infinity";
  }

  /**
   * Appends {@code s} as a JSON string. Escapes {@code "}, {@code \}, control characters and
   * unpaired surrogates (as {@code \}{@code uXXXX}), so the result is always valid UTF-16 and
   * therefore encodes to valid UTF-8; other characters are kept as they are.
   */
  public static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    int n = s.length();
    int clean = 0; // s[clean, i) needs no escaping and is copied in one go
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a proper pair is ordinary text
        continue;
      }
      sb.append(s, clean, i);
      appendEscape(sb, c);
      clean = i + 1;
    }
    sb.append(s, clean, n).append('"');
  }

  private static void appendEscape(StringBuilder sb, char c) {
    switch (c) {
      case '"' -> sb.append("\\\"");
      case '\\' -> sb.append("\\\\");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      default -> appendUnicodeEscape(sb, c);
    }
  }

  static void appendUnicodeEscape(StringBuilder sb, char c) {
    sb.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
