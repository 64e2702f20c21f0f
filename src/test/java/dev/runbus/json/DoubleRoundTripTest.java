package dev.runbus.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every double and float JsonWriter writes is valid JSON and reads back as the identical value. */
class DoubleRoundTripTest {

  private static final int COUNT = 100_000;
  private static final JsonFactory JACKSON =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private static double[] doubles;

  @BeforeAll
  static void generate() {
    double[] special = {
      0.0,
      -0.0,
      Double.MIN_VALUE,
      -Double.MIN_VALUE,
      Double.MIN_NORMAL,
      Math.nextDown(Double.MIN_NORMAL),
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      0.1,
      0.2,
      0.3,
      1e-5,
      1e21,
      1e22,
      1e23,
      2e-323,
      9007199254740993.0,
      1.0 / 3
    };
    Random random = new Random(20240611L);
    doubles = new double[COUNT];
    System.arraycopy(special, 0, doubles, 0, special.length);
    for (int i = special.length; i < COUNT; i++) {
      doubles[i] =
          switch (i % 6) {
            case 0 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern, NaNs included
            case 1 ->
                Double.longBitsToDouble(random.nextLong() & 0x800F_FFFF_FFFF_FFFFL); // subnormal
            case 2 ->
                Math.scalb(1 + random.nextDouble(), random.nextInt(2098) - 1074); // any exponent
            case 3 ->
                random.nextDouble() * Math.pow(10, random.nextInt(61) - 30); // everyday decimals
            case 4 -> (double) (random.nextLong() >> random.nextInt(64)); // whole numbers
            default -> (float) (random.nextGaussian() * 100); // floats seen as doubles
          };
    }
  }

  @Test
  void doublesAreValidJsonAndParseBackExactly() throws IOException {
    for (double d : doubles) {
      String json = JsonWriter.numberToJson(d);
      assertValidJson(json);
      if (Double.isFinite(d)) {
        assertSameDouble(d, Double.parseDouble(json), json);
      }
      assertSameDouble(d, parseWithJackson(json), json);
    }
  }

  @Test
  void floatsUseTheirOwnShortestTextAndParseBackExactly() throws IOException {
    Random random = new Random(7L);
    for (int i = 0; i < COUNT; i++) {
      float f = i % 2 == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) doubles[i];
      String json = JsonWriter.numberToJson(f);
      assertValidJson(json);
      if (Float.isFinite(f)) {
        assertEquals(Float.floatToIntBits(f), Float.floatToIntBits(Float.parseFloat(json)), json);
        assertTrue(json.length() <= Float.toString(f).length(), json + " vs " + Float.toString(f));
      } else {
        assertSameDouble(f, parseWithJackson(json), json);
      }
    }
  }

  @Test
  void pythonJsonReadsTheSameDoubles(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Python.canImport("json"), "python3 not available");
    StringBuilder lines = new StringBuilder(COUNT * 40);
    for (double d : doubles) {
      lines
          .append(JsonWriter.numberToJson(d))
          .append('\t')
          .append(Long.toHexString(Double.doubleToLongBits(d)))
          .append('\n');
    }
    Path file = dir.resolve("doubles.tsv");
    Files.writeString(file, lines, StandardCharsets.US_ASCII);
    String script =
        String.join(
            "\n",
            "import json, math, struct, sys",
            "bad = []",
            "n = 0",
            "for line in open(sys.argv[1]):",
            "    text, bits = line.rstrip('\\n').split('\\t')",
            "    v = json.loads(text)",
            "    n += 1",
            "    if math.isnan(v) and int(bits, 16) == 0x7ff8000000000000:",
            "        continue",
            "    if struct.unpack('<Q', struct.pack('<d', v))[0] != int(bits, 16):",
            "        bad.append(text)",
            "print(n, len(bad), bad[:5])");
    assertEquals(COUNT + " 0 []", Python.run(script, file.toString()).strip());
  }

  private static void assertValidJson(String json) {
    if (!json.equals("NaN")
        && !json.equals("Infinity")
        && !json.equals("-Infinity")
        && !JsonWriterTest.JSON_NUMBER.matcher(json).matches()) {
      fail("not a JSON number: " + json);
    }
  }

  private static double parseWithJackson(String json) throws IOException {
    try (JsonParser p = JACKSON.createParser(json)) {
      JsonToken token = p.nextToken();
      assertTrue(
          token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT, json);
      double value = p.getDoubleValue();
      assertEquals(null, p.nextToken(), json);
      return value;
    }
  }

  private static void assertSameDouble(double expected, double actual, String json) {
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), json);
  }
}
