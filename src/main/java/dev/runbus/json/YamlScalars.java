package dev.runbus.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/**
 * Scalars as YAML 1.1 text that PyYAML's {@code safe_load} reads back as the same value.
 *
 * <p>Strings are written plain only when that is clearly safe (a conservative rule, not the full
 * YAML grammar) and otherwise double-quoted; floats always carry a {@code .} and a signed exponent,
 * because YAML 1.1 reads {@code 1e-05} or {@code 1E21} as strings.
 */
final class YamlScalars {

  private YamlScalars() {}

  static void appendString(StringBuilder sb, String s) {
    if (isPlainSafe(s)) {
      sb.append(s);
    } else {
      appendQuoted(sb, s);
    }
  }

  /**
   * True when {@code s} can be written without quotes. The first character must be an ASCII
   * letter, a printable non-space non-ASCII character, or one of {@code _ / $ (}: that rules out every YAML indicator ({@code - ? : [ { # & * ! | > ' " %
   * @ `}) and every number, date, {@code .inf}, {@code ~}, {@code =} and {@code <<}. What is left
   * are the words YAML 1.1 resolves to booleans or null, a comment or key separator inside, and
   * characters that need escaping.
   */
  static boolean isPlainSafe(String s) {
    int n = s.length();
    if (n == 0 || !isSafeFirst(s.charAt(0))) {
      return false;
    }
    char last = s.charAt(n - 1);
    if (last == ' ' || last == ':') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7F) {
        if ((c == ':' && s.charAt(i + 1) == ' ') || (c == '#' && s.charAt(i - 1) == ' ')) {
          return false; // "a: b" would be a mapping, "a #b" a comment (neither is at an end)
        }
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (needsEscape(c)) {
        return false;
      }
    }
    return !isYamlWord(s);
  }

  private static boolean isSafeFirst(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || c == '/'
        || c == '$'
        || c == '('
        || (c >= 0x80 && !needsEscape(c) && !Character.isSurrogate(c) && !Character.isSpaceChar(c));
  }

  /** Booleans and null in YAML 1.1, compared ignoring case to also cover other YAML 1.1 readers. */
  private static boolean isYamlWord(String s) {
    if (s.length() > 5) {
      return false;
    }
    switch (s.toLowerCase(Locale.ROOT)) {
      case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
        return true;
      default:
        return false;
    }
  }

  /**
   * Characters that may not appear raw in a single-line YAML scalar: controls, DEL and C1 controls
   * (PyYAML rejects them), the YAML 1.1 line breaks U+0085/U+2028/U+2029, a byte order mark,
   * non-characters and unpaired surrogates.
   */
  private static boolean needsEscape(char c) {
    return c < 0x20
        || (c >= 0x7F && c <= 0x9F)
        || c == 0x2028
        || c == 0x2029
        || c == 0xFEFF
        || c == 0xFFFE
        || c == 0xFFFF
        || Character.isSurrogate(c);
  }

  /** A YAML double-quoted scalar; its escapes are a superset of JSON's. */
  static void appendQuoted(StringBuilder sb, String s) {
    sb.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else if (needsEscape(c)) {
        JsonWriter.appendUnicodeEscape(sb, c);
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  static void appendNumber(StringBuilder sb, Number n) {
    if (n instanceof Double d) {
      appendFloating(sb, d, JsonWriter.doubleToJson(d));
    } else if (n instanceof Float f) {
      appendFloating(sb, f, JsonWriter.floatToJson(f));
    } else if (n instanceof Integer
        || n instanceof Long
        || n instanceof Short
        || n instanceof Byte
        || n instanceof BigInteger) {
      sb.append(Numbers.snapshot(n).toString());
    } else if (n instanceof BigDecimal) {
      appendYamlFloat(sb, Numbers.snapshot(n).toString());
    } else {
      appendNumber(sb, Numbers.snapshot(n));
    }
  }

  private static void appendFloating(StringBuilder sb, double d, String json) {
    if (Double.isNaN(d)) {
      sb.append(".nan");
    } else if (Double.isInfinite(d)) {
      sb.append(d > 0 ? ".inf" : "-.inf");
    } else {
      appendYamlFloat(sb, json);
    }
  }

  /**
   * Rewrites a finite JSON/Java number ({@code 1.0E21}, {@code 1E+3}, {@code 12}) into the YAML 1.1
   * float form {@code 1.0e+21}, {@code 1.0e+3}, {@code 12.0}: a dot in the mantissa and a sign in
   * the exponent.
   */
  static void appendYamlFloat(StringBuilder sb, String number) {
    int e = Math.max(number.indexOf('E'), number.indexOf('e'));
    String mantissa = e < 0 ? number : number.substring(0, e);
    sb.append(mantissa);
    if (mantissa.indexOf('.') < 0) {
      sb.append(".0");
    }
    if (e >= 0) {
      sb.append('e');
      char sign = number.charAt(e + 1);
      if (sign != '-' && sign != '+') {
        sb.append('+');
      }
      sb.append(number, e + 1, number.length());
    }
  }
}
