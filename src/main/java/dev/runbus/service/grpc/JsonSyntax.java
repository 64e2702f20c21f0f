package dev.runbus.service.grpc;

import dev.runbus.json.LogValues;

/**
 * Checks that bytes are exactly one JSON value as runbus writes them (UTF-8, RFC 8259, plus the
 * bare {@code NaN}, {@code Infinity} and {@code -Infinity} W&B writes), without building it: a
 * remote client's values reach the log as the text it sent, so text that does not parse would
 * break every reader of the log. Nesting is limited as the Java API limits it ({@link
 * LogValues#MAX_DEPTH}), and so are names inside objects ({@link LogValues#MAX_NESTED_KEY_LENGTH}
 * UTF-16 chars). One pass, no allocation: a batch of 512 rows of 10 values is 5,120 checks.
 */
final class JsonSyntax {

  private final byte[] in;
  private int at;
  private final int end;
  private String problem;

  private JsonSyntax(byte[] in, int start, int end) {
    this.in = in;
    this.at = start;
    this.end = end;
  }

  /** Null if {@code in[start, end)} is one JSON value, else what is wrong with it. */
  static String problem(byte[] in, int start, int end) {
    JsonSyntax check = new JsonSyntax(in, start, end);
    if (check.value(0)) {
      check.skipSpace();
      if (check.at != end) {
        check.fail("more than one value");
      }
    }
    return check.problem;
  }

  /** {@link #problem(byte[], int, int)} for a whole array. */
  static String problem(byte[] in) {
    return problem(in, 0, in.length);
  }

  private boolean fail(String what) {
    if (problem == null) {
      problem = what + " at byte " + at;
    }
    return false;
  }

  private void skipSpace() {
    while (at < end) {
      byte b = in[at];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return;
      }
      at++;
    }
  }

  private boolean value(int depth) {
    skipSpace();
    if (at == end) {
      return fail("no value");
    }
    byte b = in[at];
    switch (b) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string(false);
      case 't':
        return word("true");
      case 'f':
        return word("false");
      case 'n':
        return word("null");
      case 'N':
        return word("NaN");
      case 'I':
        return word("Infinity");
      default:
        if (b == '-' && at + 1 < end && in[at + 1] == 'I') {
          at++;
          return word("Infinity");
        }
        return number();
    }
  }

  private boolean word(String word) {
    int n = word.length();
    if (end - at < n) {
      return fail("not a JSON value");
    }
    for (int i = 0; i < n; i++) {
      if (in[at + i] != word.charAt(i)) {
        return fail("not a JSON value");
      }
    }
    at += n;
    return true;
  }

  private boolean number() {
    int start = at;
    if (in[at] == '-') {
      at++;
    }
    if (at == end || !digit(in[at])) {
      at = start;
      return fail("not a JSON value");
    }
    if (in[at] == '0') {
      at++;
    } else {
      skipDigits();
    }
    if (at < end && in[at] == '.') {
      at++;
      if (at == end || !digit(in[at])) {
        return fail("a number without digits after its point");
      }
      skipDigits();
    }
    if (at < end && (in[at] == 'e' || in[at] == 'E')) {
      at++;
      if (at < end && (in[at] == '+' || in[at] == '-')) {
        at++;
      }
      if (at == end || !digit(in[at])) {
        return fail("a number without digits in its exponent");
      }
      skipDigits();
    }
    return true;
  }

  private void skipDigits() {
    while (at < end && digit(in[at])) {
      at++;
    }
  }

  private static boolean digit(byte b) {
    return b >= '0' && b <= '9';
  }

  private boolean object(int depth) {
    if (depth > LogValues.MAX_DEPTH) {
      return fail("nested deeper than " + LogValues.MAX_DEPTH);
    }
    at++; // {
    skipSpace();
    if (at < end && in[at] == '}') {
      at++;
      return true;
    }
    while (true) {
      skipSpace();
      if (at == end || in[at] != '"') {
        return fail("an object name that is not a string");
      }
      if (!string(true)) {
        return false;
      }
      skipSpace();
      if (at == end || in[at] != ':') {
        return fail("no ':' after an object name");
      }
      at++;
      if (!value(depth)) {
        return false;
      }
      skipSpace();
      if (at == end) {
        return fail("an object not closed");
      }
      if (in[at] == '}') {
        at++;
        return true;
      }
      if (in[at] != ',') {
        return fail("no ',' or '}' after an object member");
      }
      at++;
    }
  }

  private boolean array(int depth) {
    if (depth > LogValues.MAX_DEPTH) {
      return fail("nested deeper than " + LogValues.MAX_DEPTH);
    }
    at++; // [
    skipSpace();
    if (at < end && in[at] == ']') {
      at++;
      return true;
    }
    while (true) {
      if (!value(depth)) {
        return false;
      }
      skipSpace();
      if (at == end) {
        return fail("an array not closed");
      }
      if (in[at] == ']') {
        at++;
        return true;
      }
      if (in[at] != ',') {
        return fail("no ',' or ']' after an array element");
      }
      at++;
    }
  }

  /** A string literal, its UTF-8 checked; a name is also checked for its length in chars. */
  private boolean string(boolean name) {
    at++; // "
    long chars = 0;
    while (at < end) {
      int b = in[at] & 0xFF;
      if (b == '"') {
        at++;
        if (name && chars > LogValues.MAX_NESTED_KEY_LENGTH) {
          return fail(
              "an object name of "
                  + chars
                  + " characters (the limit is "
                  + LogValues.MAX_NESTED_KEY_LENGTH
                  + ")");
        }
        return true;
      }
      if (b < 0x20) {
        return fail("a control character in a string");
      }
      if (b == '\\') {
        if (!escape()) {
          return false;
        }
        chars++;
      } else if (b < 0x80) {
        at++;
        chars++;
      } else {
        int n = utf8Sequence(b);
        if (n == 0) {
          return fail("bytes that are not UTF-8");
        }
        at += n;
        chars += n == 4 ? 2 : 1;
      }
    }
    return fail("a string not closed");
  }

  private boolean escape() {
    if (at + 1 >= end) {
      return fail("a string not closed");
    }
    byte e = in[at + 1];
    switch (e) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
        at += 2;
        return true;
      }
      case 'u' -> {
        if (end - at < 6) {
          return fail("a \\u escape cut off");
        }
        for (int i = 2; i < 6; i++) {
          if (Character.digit(in[at + i], 16) < 0) {
            return fail("a \\u escape with a non-hex digit");
          }
        }
        at += 6;
        return true;
      }
      default -> {
        return fail("an unknown escape \\" + (char) (e & 0xFF));
      }
    }
  }

  /**
   * The length of the well-formed UTF-8 sequence starting with lead byte {@code b} at {@code at},
   * or 0 (overlong forms, surrogates and code points past U+10FFFF are not UTF-8).
   */
  private int utf8Sequence(int b) {
    int n;
    int min;
    int cp;
    if (b >= 0xC2 && b <= 0xDF) {
      n = 2;
      cp = b & 0x1F;
      min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 3;
      cp = b & 0x0F;
      min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 4;
      cp = b & 0x07;
      min = 0x10000;
    } else {
      return 0;
    }
    if (end - at < n) {
      return 0;
    }
    for (int i = 1; i < n; i++) {
      int c = in[at + i] & 0xFF;
      if ((c & 0xC0) != 0x80) {
        return 0;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return 0;
    }
    return n;
  }
}
