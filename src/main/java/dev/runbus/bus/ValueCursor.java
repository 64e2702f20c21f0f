package dev.runbus.bus;

/**
 * Walks the value texts of a {@code HistoryRows} block: each is a varint length, then that many
 * bytes of JSON text. After {@link #next()} returns true, the text is {@code bytes[start, end)}.
 */
public final class ValueCursor {
  private final byte[] bytes;
  private int position;
  private int start;
  private int end;

  public ValueCursor(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Moves to the next value.
   *
   * @return false at the end of the bytes
   * @throws IllegalArgumentException when a length is cut off or runs past the end
   */
  public boolean next() {
    if (position == bytes.length) {
      return false;
    }
    int length = 0;
    int shift = 0;
    byte b;
    do {
      if (position == bytes.length || shift > 28) {
        throw new IllegalArgumentException("a value's length is cut off at byte " + position);
      }
      b = bytes[position++];
      length |= (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0);
    if (length < 0 || length > bytes.length - position) {
      throw new IllegalArgumentException("a value runs past the end at byte " + position);
    }
    start = position;
    end = position + length;
    position = end;
    return true;
  }

  /**
   * Writes a value's length the way this reads it (a varint) at {@code out[at]}; returns the
   * position after it. {@code out} needs 5 bytes from {@code at}.
   */
  public static int putLength(byte[] out, int at, int length) {
    while ((length & ~0x7F) != 0) {
      out[at++] = (byte) ((length & 0x7F) | 0x80);
      length >>>= 7;
    }
    out[at++] = (byte) length;
    return at;
  }

  public byte[] bytes() {
    return bytes;
  }

  public int start() {
    return start;
  }

  public int end() {
    return end;
  }

  /** How many values the bytes hold; throws as {@link #next()} does when they are malformed. */
  public static int count(byte[] bytes) {
    ValueCursor cursor = new ValueCursor(bytes);
    int count = 0;
    while (cursor.next()) {
      count++;
    }
    return count;
  }
}
