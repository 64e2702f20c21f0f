package dev.runbus.filestream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that a FileStream body is written into, with the two escapings its lines
 * need: a line is JSON text carried as a JSON string inside the body, so the line's own text is
 * escaped once ({@link #escapedOnce}) and the strings inside the line (keys, console text) twice
 * ({@link #escapedTwice}). Bytes are copied as they are when nothing needs escaping, which is
 * nearly always: UTF-8 stays UTF-8, and JSON allows it unescaped.
 */
final class JsonBytes {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] buf;
  private int len;

  JsonBytes(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  int length() {
    return len;
  }

  byte[] array() {
    return buf;
  }

  void truncate(int length) {
    len = length;
  }

  byte[] toArray() {
    return Arrays.copyOf(buf, len);
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  JsonBytes put(byte b) {
    ensure(1);
    buf[len++] = b;
    return this;
  }

  JsonBytes put(byte[] src) {
    return put(src, 0, src.length);
  }

  JsonBytes put(byte[] src, int from, int to) {
    int n = to - from;
    ensure(n);
    System.arraycopy(src, from, buf, len, n);
    len += n;
    return this;
  }

  JsonBytes ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  JsonBytes number(long v) {
    return ascii(Long.toString(v));
  }

  /** {@code src[from, to)} as the content of a JSON string: quote, backslash, controls escaped. */
  JsonBytes escapedOnce(byte[] src, int from, int to) {
    ensure(to - from);
    for (int i = from; i < to; i++) {
      byte b = src[i];
      if (b == '"' || b == '\\' || (b >= 0 && b < 0x20)) {
        escapeOnce(b);
      } else {
        if (len == buf.length) {
          ensure(to - i);
        }
        buf[len++] = b;
      }
    }
    return this;
  }

  /**
   * {@code src[from, to)} as the content of a JSON string inside a JSON line that is itself the
   * content of a JSON string: {@code "} becomes {@code \\\"}, a control byte {@code \\u00XX}.
   */
  JsonBytes escapedTwice(byte[] src, int from, int to) {
    ensure(to - from);
    for (int i = from; i < to; i++) {
      byte b = src[i];
      if (b == '"' || b == '\\' || (b >= 0 && b < 0x20)) {
        escapeTwice(b);
      } else {
        if (len == buf.length) {
          ensure(to - i);
        }
        buf[len++] = b;
      }
    }
    return this;
  }

  JsonBytes escapedTwice(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return escapedTwice(utf8, 0, utf8.length);
  }

  private void escapeOnce(byte b) {
    ensure(6);
    buf[len++] = '\\';
    if (b == '"' || b == '\\') {
      buf[len++] = b;
    } else {
      buf[len++] = 'u';
      buf[len++] = '0';
      buf[len++] = '0';
      buf[len++] = HEX[b >> 4];
      buf[len++] = HEX[b & 0xf];
    }
  }

  private void escapeTwice(byte b) {
    ensure(7);
    buf[len++] = '\\';
    buf[len++] = '\\';
    if (b == '"') {
      buf[len++] = '\\';
      buf[len++] = '"';
    } else if (b == '\\') {
      buf[len++] = '\\';
      buf[len++] = '\\';
    } else {
      buf[len++] = 'u';
      buf[len++] = '0';
      buf[len++] = '0';
      buf[len++] = HEX[b >> 4];
      buf[len++] = HEX[b & 0xf];
    }
  }
}
