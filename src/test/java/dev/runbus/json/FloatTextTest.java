package dev.runbus.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link FloatText} must write exactly what Jackson's Schubfach writes for every float. A full run
 * over all 2^32 bit patterns was made once (it takes minutes, see docs/benchmarks.md); here, the
 * edges and two million random patterns.
 */
class FloatTextTest {

  private static String write(float v) {
    byte[] out = new byte[FloatText.MAX_LENGTH + 4];
    int n = FloatText.write(v, out, 2);
    return new String(out, 2, n - 2, StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest
  @CsvSource({
    "0.1, 0.1",
    "0.5, 0.5",
    "1, 1.0",
    "100, 100.0",
    "123.456, 123.456",
    "0.001, 0.001",
    "0.000999, 9.99E-4",
    "9999999, 9999999.0",
    "10000000, 1.0E7",
    "16777216, 1.6777216E7",
    "1e10, 1.0E10",
    "-2.5, -2.5",
    "3.4028235e38, 3.4028235E38",
    "1.17549435e-38, 1.1754944E-38",
    "1.4e-45, 1.4E-45",
    "-0.0, -0.0",
    "0, 0.0",
    "0.30000001, 0.3",
    "2e-3, 0.002"
  })
  void writesJavasShortestText(float value, String expected) {
    assertEquals(expected, write(value));
  }

  @Test
  void agreesWithJacksonOnEdgesAndRandomBitPatterns() {
    int[] edges = {
      0x00000001, 0x00000007, 0x00000008, 0x007FFFFF, 0x00800000, 0x00800001, 0x3F800000,
      0x3F7FFFFF, 0x4B000000, 0x4B7FFFFF, 0x4B800000, 0x7F7FFFFF, 0x7F000000, 0x33800000
    };
    for (int bits : edges) {
      check(bits);
      check(bits | 0x80000000);
    }
    for (int e = 1; e < 255; e++) {
      check(e << 23); // every power of two: the uneven interval
      check((e << 23) | 1);
      check((e << 23) | 0x7FFFFF);
    }
    SplittableRandom random = new SplittableRandom(2026);
    for (int i = 0; i < 2_000_000; i++) {
      check(random.nextInt());
    }
  }

  private static void check(int bits) {
    float v = Float.intBitsToFloat(bits);
    if (Float.isFinite(v)) {
      assertEquals(
          NumberOutput.toString(v, true), write(v), () -> "bits " + Integer.toHexString(bits));
    }
  }

  @Test
  void refusesWhatIsNotFinite() {
    byte[] out = new byte[FloatText.MAX_LENGTH];
    assertThrows(IllegalArgumentException.class, () -> FloatText.write(Float.NaN, out, 0));
    assertThrows(
        IllegalArgumentException.class, () -> FloatText.write(Float.NEGATIVE_INFINITY, out, 0));
  }
}
