package dev.runbus.log;

import java.util.Arrays;

/**
 * One record read back from a log: the file offset of its first chunk and its payload (a serialized
 * {@code Record}).
 */
public record LogEntry(long offset, byte[] payload) {

  public int length() {
    return payload.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogEntry other
        && offset == other.offset
        && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(offset) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "LogEntry[offset=" + offset + ", length=" + payload.length + "]";
  }
}
