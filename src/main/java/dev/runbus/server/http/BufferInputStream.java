package dev.runbus.server.http;

import io.vertx.core.buffer.Buffer;
import java.io.InputStream;

/** Reads a request body where it lies, so a large body is not copied once more to be parsed. */
final class BufferInputStream extends InputStream {
  private final Buffer buffer;
  private int position;

  BufferInputStream(Buffer buffer) {
    this.buffer = buffer;
  }

  @Override
  public int read() {
    return position < buffer.length() ? buffer.getByte(position++) & 0xff : -1;
  }

  @Override
  public int read(byte[] into, int offset, int length) {
    int left = buffer.length() - position;
    if (left <= 0) {
      return length == 0 ? 0 : -1;
    }
    int n = Math.min(left, length);
    buffer.getBytes(position, position + n, into, offset);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return buffer.length() - position;
  }
}
