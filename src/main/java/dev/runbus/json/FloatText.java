package dev.runbus.json;

import java.math.BigInteger;

/**
 * Writes a finite float as the shortest decimal that reads back as the same float, in the format
 * of Java's {@code Float.toString} (since Java 19): {@code 0.1}, {@code 123.0}, {@code 1.0E-5},
 * {@code 3.4028235E38}. The digits are those of Giulietti's Schubfach algorithm, the one Jackson
 * and newer JDKs use, so the text is the same as theirs; this version writes ASCII bytes into the
 * caller's array and allocates nothing, which matters at ten floats a row.
 *
 * <p>Notation: a float is {@code c * 2^q} with an integer significand {@code c}; the algorithm
 * scales the rounding interval of {@code c} by {@code 10^-k}, using a 63-bit approximation {@code
 * g} of that power of ten, and picks the shortest (then closest) decimal inside it.
 *
 * <p>Kept by hand because it pays: 27 ns a float against 38 for Jackson's {@code
 * NumberOutput.toString(float, true)}, which also allocates a string (JMH, {@code
 * FloatTextBenchmark}, docs/benchmarks.md); in a burst it runs ten times a row on the caller's
 * thread.
 */
public final class FloatText {

  /** At most this many bytes are written: {@code -1.2345678E-38}. */
  public static final int MAX_LENGTH = 15;

  private static final int P = 24; // significand bits, hidden bit included
  private static final int Q_MIN = -149; // exponent of the smallest subnormal
  private static final int C_MIN = 1 << (P - 1);
  private static final int C_TINY = 8; // subnormal significands below this get a digit more
  private static final int K_MIN = -45;
  private static final int K_MAX = 31;
  private static final int H = 9; // digits of the longest shortest decimal
  private static final long MASK_31 = (1L << 31) - 1;

  /** {@code G[k - K_MIN]}: {@code floor(10^-k * 2^(62 - floor(log2(10^-k)))) + 1}. */
  private static final long[] G = new long[K_MAX - K_MIN + 1];

  private static final int[] POW10 = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  static {
    for (int k = K_MIN; k <= K_MAX; k++) {
      int shift = 62 - flog2pow10(-k);
      BigInteger num = BigInteger.TEN.pow(Math.max(-k, 0)).shiftLeft(Math.max(shift, 0));
      BigInteger den = BigInteger.TEN.pow(Math.max(k, 0)).shiftLeft(Math.max(-shift, 0));
      G[k - K_MIN] = num.divide(den).longValueExact() + 1;
    }
  }

  private FloatText() {}

  /**
   * Writes {@code v}, which must be finite, at {@code out[at]} and returns the position after it.
   * {@code out} needs {@link #MAX_LENGTH} bytes from {@code at}.
   */
  public static int write(float v, byte[] out, int at) {
    int bits = Float.floatToRawIntBits(v);
    int t = bits & (C_MIN - 1);
    int bq = (bits >>> (P - 1)) & 0xFF;
    if (bq == 0xFF) {
      throw new IllegalArgumentException("not a finite float: " + v);
    }
    if (bits < 0) {
      out[at++] = '-';
    }
    if (bq != 0) {
      int mq = -Q_MIN + 1 - bq; // -q
      int c = C_MIN | t;
      if (0 < mq && mq < P) {
        int f = c >> mq;
        if (f << mq == c) {
          return digits(f, 0, out, at); // an integer below 2^24: its digits as they are
        }
      }
      return shortest(-mq, c, 0, out, at);
    }
    if (t != 0) {
      return t < C_TINY ? shortest(Q_MIN, 10 * t, -1, out, at) : shortest(Q_MIN, t, 0, out, at);
    }
    return zero(out, at);
  }

  /** The shortest decimal in the rounding interval of {@code c * 2^q}, closest to it on a tie. */
  private static int shortest(int q, int c, int dk, byte[] out, int at) {
    int odd = c & 1; // an odd significand's interval excludes its ends
    long cb = (long) c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
      cbl = cb - 2;
      k = flog10pow2(q);
    } else {
      // a power of two: the interval below is half as wide as above
      cbl = cb - 1;
      k = flog10threeQuartersPow2(q);
    }
    int h = q + flog2pow10(-k) + 33;
    long g = G[k - K_MIN];
    int vb = roundToOdd(g, cb << h);
    int vbl = roundToOdd(g, cbl << h);
    int vbr = roundToOdd(g, cbr << h);
    int s = vb >> 2;
    if (s >= 100) {
      // one digit fewer, when exactly one of the two candidates is inside
      int sp10 = 10 * (int) (s * 1_717_986_919L >>> 34);
      int tp10 = sp10 + 10;
      boolean upin = vbl + odd <= sp10 << 2;
      boolean wpin = (tp10 << 2) + odd <= vbr;
      if (upin != wpin) {
        return digits(upin ? sp10 : tp10, k, out, at);
      }
    }
    int tt = s + 1;
    boolean uin = vbl + odd <= s << 2;
    boolean win = (tt << 2) + odd <= vbr;
    if (uin != win) {
      return digits(uin ? s : tt, k + dk, out, at);
    }
    int cmp = vb - ((s + tt) << 1);
    return digits(cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : tt, k + dk, out, at);
  }

  /** {@code g * cp / 2^95}, the lost bits folded into the lowest bit (round to odd). */
  private static int roundToOdd(long g, long cp) {
    long x1 = Math.multiplyHigh(g, cp);
    long vbp = x1 >>> 31;
    return (int) (vbp | ((x1 & MASK_31) + MASK_31) >>> 31);
  }

  /** Writes {@code f * 10^e} in Java's format; {@code f} has at most {@link #H} digits. */
  private static int digits(int f, int e, byte[] out, int at) {
    int len = flog10pow2(Integer.SIZE - Integer.numberOfLeadingZeros(f));
    if (f >= POW10[len]) {
      len++;
    }
    // trailing zeros go: they are exponent, not digits
    while (len > 1 && f % 10 == 0) {
      f /= 10;
      len--;
      e++;
    }
    int exp = e + len; // f * 10^e = 0.d1d2... * 10^exp
    if (0 < exp && exp <= 7) {
      return plainAbove1(f, len, exp, out, at);
    }
    if (-3 < exp && exp <= 0) {
      out[at++] = '0';
      out[at++] = '.';
      for (int i = exp; i < 0; i++) {
        out[at++] = '0';
      }
      return putDigits(f, len, out, at);
    }
    return scientific(f, len, exp - 1, out, at);
  }

  /** {@code 123.45}, {@code 100.0}: the first {@code exp} digits before the point. */
  private static int plainAbove1(int f, int len, int exp, byte[] out, int at) {
    if (len <= exp) {
      at = putDigits(f, len, out, at);
      for (int i = len; i < exp; i++) {
        out[at++] = '0';
      }
      out[at++] = '.';
      out[at++] = '0';
      return at;
    }
    int fraction = len - exp;
    int pow = POW10[fraction];
    at = putDigits(f / pow, exp, out, at);
    out[at++] = '.';
    return putDigits(f % pow, fraction, out, at);
  }

  /** {@code 1.0E10}, {@code 1.2345E-5}. */
  private static int scientific(int f, int len, int exponent, byte[] out, int at) {
    int pow = POW10[len - 1];
    out[at++] = (byte) ('0' + f / pow);
    out[at++] = '.';
    if (len == 1) {
      out[at++] = '0';
    } else {
      at = putDigits(f % pow, len - 1, out, at);
    }
    out[at++] = 'E';
    if (exponent < 0) {
      out[at++] = '-';
      exponent = -exponent;
    }
    if (exponent >= 10) {
      out[at++] = (byte) ('0' + exponent / 10);
    }
    out[at++] = (byte) ('0' + exponent % 10);
    return at;
  }

  /** Exactly {@code len} digits of {@code n}, zeros in front if it is shorter. */
  private static int putDigits(int n, int len, byte[] out, int at) {
    for (int i = at + len - 1; i >= at; i--) {
      out[i] = (byte) ('0' + n % 10);
      n /= 10;
    }
    return at + len;
  }

  private static int zero(byte[] out, int at) {
    out[at++] = '0';
    out[at++] = '.';
    out[at++] = '0';
    return at;
  }

  /** {@code floor(q * log10(2))} for |q| up to a few thousand. */
  private static int flog10pow2(int q) {
    return (int) (q * 661_971_961_083L >> 41);
  }

  /** {@code floor(q * log10(2) + log10(3/4))}. */
  private static int flog10threeQuartersPow2(int q) {
    return (int) ((q * 661_971_961_083L - 274_743_187_321L) >> 41);
  }

  /** {@code floor(e * log2(10))}. */
  private static int flog2pow10(int e) {
    return (int) (e * 913_124_641_741L >> 38);
  }
}
