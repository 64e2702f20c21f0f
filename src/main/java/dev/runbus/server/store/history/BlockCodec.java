package dev.runbus.server.store.history;

/**
 * The binary form of a block of one key's values. Layout: a flags byte; the count; the first line
 * and then line deltas (varints, lines only grow); the first step and step deltas (zig-zag varints:
 * steps usually grow by one, so one byte each); then, unless every value equals its step, which of
 * the values were integers (none, all, or a bitmap) and the values as 8-byte IEEE 754 doubles.
 * Values are not compressed: training metrics barely compress, and the reads want speed.
 */
final class BlockCodec {
  private static final int ALL_INTS = 1;
  private static final int INT_BITMAP = 2;
  private static final int VALUES_ARE_STEPS = 4;

  private BlockCodec() {}

  static byte[] encode(Column c, int from, int to) {
    int n = to - from;
    boolean allInts = true;
    boolean someInts = false;
    boolean valuesAreSteps = true;
    for (int i = from; i < to; i++) {
      allInts &= c.ints[i];
      someInts |= c.ints[i];
      valuesAreSteps &= c.ints[i] && c.values[i] == c.steps[i] && (long) c.values[i] == c.steps[i];
    }
    int flags =
        valuesAreSteps
            ? VALUES_ARE_STEPS | ALL_INTS
            : allInts ? ALL_INTS : someInts ? INT_BITMAP : 0;
    Bytes out = new Bytes(n * 11 + 16);
    out.put((byte) flags);
    out.putVarint(n);
    long prevLine = 0;
    long prevStep = 0;
    for (int i = from; i < to; i++) {
      out.putVarint(c.lines[i] - prevLine);
      prevLine = c.lines[i];
    }
    for (int i = from; i < to; i++) {
      out.putSignedVarint(c.steps[i] - prevStep);
      prevStep = c.steps[i];
    }
    if ((flags & VALUES_ARE_STEPS) != 0) {
      return out.toArray();
    }
    if ((flags & INT_BITMAP) != 0) {
      for (int i = from; i < to; i += 8) {
        int bits = 0;
        for (int j = 0; j < 8 && i + j < to; j++) {
          bits |= c.ints[i + j] ? 1 << j : 0;
        }
        out.put((byte) bits);
      }
    }
    for (int i = from; i < to; i++) {
      out.putLong(Double.doubleToRawLongBits(c.values[i]));
    }
    return out.toArray();
  }

  /** Appends the block's values to {@code into}. */
  static void decode(byte[] data, Column into) {
    Bytes.Reader in = new Bytes.Reader(data);
    int flags = in.get();
    int n = Math.toIntExact(in.varint());
    int base = into.size;
    long line = 0;
    long[] lines = new long[n];
    for (int i = 0; i < n; i++) {
      line += in.varint();
      lines[i] = line;
    }
    long step = 0;
    long[] steps = new long[n];
    for (int i = 0; i < n; i++) {
      step += in.signedVarint();
      steps[i] = step;
    }
    if ((flags & VALUES_ARE_STEPS) != 0) {
      for (int i = 0; i < n; i++) {
        into.add(lines[i], steps[i], steps[i], true);
      }
      return;
    }
    int bitmapAt = in.position();
    if ((flags & INT_BITMAP) != 0) {
      in.skip((n + 7) / 8);
    }
    byte[] raw = in.array();
    for (int i = 0; i < n; i++) {
      boolean isInt =
          (flags & ALL_INTS) != 0
              || ((flags & INT_BITMAP) != 0 && (raw[bitmapAt + i / 8] & (1 << (i % 8))) != 0);
      into.add(lines[i], steps[i], Double.longBitsToDouble(in.getLong()), isInt);
    }
    if (into.size != base + n) {
      throw new IllegalStateException("a history block repeats a line");
    }
  }
}
