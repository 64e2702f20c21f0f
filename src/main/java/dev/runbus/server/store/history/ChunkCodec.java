package dev.runbus.server.store.history;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The stored form of a chunk of history lines, in one of two encodings.
 *
 * <p>Skeletons (the first byte is {@link #SKELETONS}): W&B's lines are the same keys and
 * punctuation line after line, with different numbers. Each line is split into its skeleton (the
 * line with every number-like run replaced by a NUL) and its runs, written 4 bits a character. A
 * line is a varint naming a skeleton already in the chunk (1, 2, …) or 0 followed by a new one
 * (varint byte length and UTF-8), then its runs' nibbles, each run ended by {@code 0xF}, padded to
 * a whole byte. This costs a fraction of deflate's CPU on the ingest path and stores W&B's metric
 * lines smaller than deflate does (numbers barely compress below 4 bits a digit anyway).
 *
 * <p>Deflated (the only form before, and the fallback when lines share no skeleton or hold a NUL):
 * each line as a varint byte length and its UTF-8 bytes, the whole deflated at the fastest level.
 * Its first byte never equals {@link #SKELETONS}: 0x06 would be a deflate block of the reserved
 * type 3, which no deflate stream starts with.
 */
final class ChunkCodec {
  static final byte SKELETONS = 0x06;
  private static final int MAX_SKELETONS = 64;
  private static final char RUN = '\0';
  private static final int END = 0xF;
  private static final char[] NIBBLE_CHARS = "0123456789.-+eE".toCharArray();
  private static final byte[] CHAR_NIBBLES = new byte[128];

  static {
    Arrays.fill(CHAR_NIBBLES, (byte) -1);
    for (int i = 0; i < NIBBLE_CHARS.length; i++) {
      CHAR_NIBBLES[NIBBLE_CHARS[i]] = (byte) i;
    }
  }

  private ChunkCodec() {}

  static byte[] encode(List<String> lines, int from, int to) {
    byte[] skeletons = new SkeletonWriter().encode(lines, from, to);
    return skeletons != null ? skeletons : deflated(lines, from, to);
  }

  static List<String> decode(byte[] body) {
    if (body.length > 0 && body[0] == SKELETONS) {
      return SkeletonReader.decode(body);
    }
    return inflated(body);
  }

  /** Writes the skeleton form; gives up (null) when it would not pay. */
  private static final class SkeletonWriter {
    private final List<char[]> known = new ArrayList<>();
    private char[] skeleton = new char[256];
    private int skeletonLength;
    private byte[] nibbles = new byte[256];
    private int nibbleCount;
    private int lastRef = -1;

    byte[] encode(List<String> lines, int from, int to) {
      Bytes out = new Bytes((to - from) * 128 + 16);
      out.put(SKELETONS);
      long plainChars = 0;
      int newSkeletonChars = 0;
      for (int i = from; i < to; i++) {
        String line = lines.get(i);
        plainChars += line.length();
        if (!split(line)) {
          return null;
        }
        int ref = lastRef >= 0 && isLast() ? lastRef : find();
        if (ref >= 0) {
          out.putVarint(ref + 1);
        } else {
          newSkeletonChars += skeletonLength;
          if (newSkeletonChars > plainChars / 4 + 4096) {
            return null; // lines of their own shapes (text, say): deflate serves them better
          }
          out.putVarint(0);
          byte[] utf8 = new String(skeleton, 0, skeletonLength).getBytes(StandardCharsets.UTF_8);
          out.putVarint(utf8.length);
          out.put(utf8, 0, utf8.length);
          if (known.size() < MAX_SKELETONS) {
            known.add(Arrays.copyOf(skeleton, skeletonLength));
            ref = known.size() - 1;
          }
        }
        lastRef = ref;
        out.put(nibbles, 0, (nibbleCount + 1) >> 1);
      }
      return out.toArray();
    }

    /**
     * One pass over the line: its skeleton into {@code skeleton}, its runs as packed nibbles into
     * {@code nibbles}. False when the line holds a NUL (which marks runs in a skeleton).
     */
    private boolean split(String line) {
      int n = line.length();
      if (skeleton.length < n) {
        skeleton = new char[Math.max(n, skeleton.length * 2)];
      }
      if (nibbles.length < n + 1) {
        nibbles = new byte[Math.max(n + 1, nibbles.length * 2)];
      }
      char[] sk = skeleton;
      byte[] nb = nibbles;
      int k = 0;
      int count = 0;
      int i = 0;
      while (i < n) {
        char c = line.charAt(i++);
        if (c == RUN) {
          return false;
        }
        if ((c >= '0' && c <= '9') || c == '-') { // a run starts with a digit or a minus
          sk[k++] = RUN;
          count = nibble(nb, count, CHAR_NIBBLES[c]);
          while (i < n && (c = line.charAt(i)) < 128 && CHAR_NIBBLES[c] >= 0) {
            count = nibble(nb, count, CHAR_NIBBLES[c]);
            i++;
          }
          count = nibble(nb, count, END);
        } else {
          sk[k++] = c;
        }
      }
      skeletonLength = k;
      nibbleCount = count;
      return true;
    }

    private static int nibble(byte[] nb, int count, int v) {
      if ((count & 1) == 0) {
        nb[count >> 1] = (byte) (v << 4);
      } else {
        nb[count >> 1] |= (byte) v;
      }
      return count + 1;
    }

    private boolean isLast() {
      char[] s = known.get(lastRef);
      return s.length == skeletonLength
          && Arrays.equals(s, 0, s.length, skeleton, 0, skeletonLength);
    }

    /** The index of a known skeleton equal to the current one, the latest first; or -1. */
    private int find() {
      for (int j = known.size() - 1; j >= 0; j--) {
        char[] s = known.get(j);
        if (s.length == skeletonLength && Arrays.equals(s, 0, s.length, skeleton, 0, s.length)) {
          return j;
        }
      }
      return -1;
    }
  }

  private static final class SkeletonReader {
    static List<String> decode(byte[] body) {
      Bytes.Reader in = new Bytes.Reader(body);
      in.skip(1);
      List<String> known = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      char[] line = new char[256];
      while (in.position() < body.length) {
        int ref = Math.toIntExact(in.varint());
        String skeleton;
        if (ref == 0) {
          int len = Math.toIntExact(in.varint());
          int at = in.position();
          in.skip(len);
          skeleton = new String(body, at, len, StandardCharsets.UTF_8);
          if (known.size() < MAX_SKELETONS) {
            known.add(skeleton);
          }
        } else if (ref <= known.size()) {
          skeleton = known.get(ref - 1);
        } else {
          throw new IllegalStateException("a history chunk names a skeleton it does not hold");
        }
        int n = 0;
        int pos = in.position();
        boolean high = true;
        for (int i = 0; i < skeleton.length(); i++) {
          char c = skeleton.charAt(i);
          if (n + 1 >= line.length) {
            line = Arrays.copyOf(line, line.length * 2);
          }
          if (c != RUN) {
            line[n++] = c;
            continue;
          }
          while (true) {
            if (pos >= body.length) {
              throw new IllegalStateException("a history chunk is truncated");
            }
            int v = high ? (body[pos] >> 4) & 0xF : body[pos++] & 0xF;
            high = !high;
            if (v == END) {
              break;
            }
            if (n == line.length) {
              line = Arrays.copyOf(line, line.length * 2);
            }
            line[n++] = NIBBLE_CHARS[v];
          }
        }
        if (!high) {
          pos++;
        }
        in.skip(pos - in.position());
        lines.add(new String(line, 0, n));
      }
      return lines;
    }
  }

  private static byte[] deflated(List<String> lines, int from, int to) {
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

  private static List<String> inflated(byte[] body) {
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
