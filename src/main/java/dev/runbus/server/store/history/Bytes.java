package dev.runbus.server.store.history;

import java.util.Arrays;

/** A growable byte array with LEB128 varints, for the block and chunk encodings. */
final class Bytes {
  private byte[] buf;
  private int size;

  Bytes(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  int size() {
    return size;
  }

  byte[] toArray() {
    return Arrays.copyOf(buf, size);
  }

  void put(byte b) {
    ensure(1);
    buf[size++] = b;
  }

  void put(byte[] bytes, int off, int len) {
    ensure(len);
    System.arraycopy(bytes, off, buf, size, len);
    size += len;
  }

  void putVarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  /** Zig-zag, so that small negative numbers stay short. */
  void putSignedVarint(long v) {
    putVarint((v << 1) ^ (v >> 63));
  }

  void putLong(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }

  /** Reads what {@link Bytes} wrote; throws on a truncated or corrupt input. */
  static final class Reader {
    private final byte[] buf;
    private int pos;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    int position() {
      return pos;
    }

    void skip(int n) {
      if (n < 0 || pos + n > buf.length) {
        throw new IllegalStateException("history data is truncated");
      }
      pos += n;
    }

    byte get() {
      if (pos >= buf.length) {
        throw new IllegalStateException("history data is truncated");
      }
      return buf[pos++];
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = get();
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw new IllegalStateException("history data holds a malformed number");
    }

    long signedVarint() {
      long v = varint();
      return (v >>> 1) ^ -(v & 1);
    }

    long getLong() {
      if (pos + 8 > buf.length) {
        throw new IllegalStateException("history data is truncated");
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v |= (buf[pos++] & 0xFFL) << (8 * i);
      }
      return v;
    }

    byte[] array() {
      return buf;
    }
  }
}
