package dev.runbus.server.store.history;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The stored form of a chunk of history lines: each line as a varint byte length and its UTF-8
 * bytes (a line may hold any character, a newline included), the whole deflated at the fastest
 * level, which still shrinks W&B's JSON lines several times and costs least on the ingest path.
 */
final class ChunkCodec {
  private ChunkCodec() {}

  static byte[] encode(List<String> lines, int from, int to) {
    Bytes plain = new Bytes((to - from) * 256);
    for (int i = from; i < to; i++) {
      byte[] utf8 = lines.get(i).getBytes(StandardCharsets.UTF_8);
      plain.putVarint(utf8.length);
      plain.put(utf8, 0, utf8.length);
    }
    byte[] input = plain.toArray();
    Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    try {
      deflater.setInput(input);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 3 + 64);
      byte[] buf = new byte[Math.min(64 << 10, input.length + 64)];
      while (!deflater.finished()) {
        int n = deflater.deflate(buf);
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  static List<String> decode(byte[] body) {
    byte[] plain = inflate(body);
    Bytes.Reader in = new Bytes.Reader(plain);
    List<String> lines = new ArrayList<>();
    while (in.position() < plain.length) {
      int len = Math.toIntExact(in.varint());
      int at = in.position();
      in.skip(len);
      lines.add(new String(plain, at, len, StandardCharsets.UTF_8));
    }
    return lines;
  }

  private static byte[] inflate(byte[] body) {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(body);
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4 + 64);
      byte[] buf = new byte[64 << 10];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalStateException("a history chunk is truncated");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IllegalStateException("a history chunk is corrupt", e);
    } finally {
      inflater.end();
    }
  }
}
