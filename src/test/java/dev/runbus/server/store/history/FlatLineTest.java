package dev.runbus.server.store.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.server.store.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path for flat lines of numbers reads exactly what the general parser reads. */
class FlatLineTest {

  @Test
  void flatLinesOfNumbersTakeTheFastPathWithTheGeneralParsersResults() {
    List<String> flat =
        List.of(
            "{}",
            " { } ",
            "{\"loss\":0.5,\"_step\":3}",
            "{\"loss\": 0.6931471824645996, \"acc\": 1, \"_runtime\": 12.5, \"_step\": 7}",
            "\t{\"a\" : -0 , \"b\":-0.0,\"c\":0.000123,\"d\":1e-05,\"e\":1E+22,\"f\":2.5e-300}\r\n",
            "{\"big\":123456789012345678,\"inexact\":9007199254740993,\"neg\":-9007199254740992}",
            "{\"long fraction\":0.12345678901234567890123,\"many\":1234567890123456789.5}",
            "{\"_step\":1.5}",
            "{\"_step\":5,\"_step\":6}",
            "{\"_step\":5,\"_step\":6.0}",
            "{\"_step\":9007199254740993}",
            "{\"tiny\":4.9e-324,\"huge\":1.7976931348623157e308,\"over\":1e400,\"under\":1e-400}",
            "{\"é 日本\":1,\"dup\":1,\"dup\":2.5}",
            "{\"x\":1.00000000000000000000,\"y\":100000000000000000000.0,\"z\":0.1e1}");
    for (String line : flat) {
      assertTrue(new FlatLine().parse(new LineParser(), line), line);
      assertSameResults(line);
    }
  }

  @Test
  void everythingElseFallsBackToTheGeneralParser() {
    List<String> other =
        List.of(
            "{\"loss\": NaN}",
            "{\"loss\": -Infinity}",
            "{\"s\": \"x\"}",
            "{\"nested\": {\"a\": 1}, \"b\": 2}",
            "{\"arr\": [1]}",
            "{\"t\": true, \"n\": null}",
            "{\"esc\\\"aped\": 1}",
            "{\"u\\u0041\": 1}",
            "{\"big\": 12345678901234567890}",
            "{\"a\": 1} {\"b\": 2}",
            "{\"a\": 01}",
            "{\"a\": 1.}",
            "{\"a\": .5}",
            "{\"a\": +1}",
            "{\"a\": 1e}",
            "{\"a\": 1,}",
            "{\"a\" 1}",
            "{\"a\": 1",
            "[1]",
            "",
            "{\"nul\u0000\": 1}");
    for (String line : other) {
      assertFalse(new FlatLine().parse(new LineParser(), line), line);
      assertSameResults(line);
    }
  }

  @Test
  void randomNumbersReadAsJacksonReadsThem() {
    Random random = new Random(7);
    StringBuilder line = new StringBuilder();
    for (int round = 0; round < 2000; round++) {
      line.setLength(0);
      line.append('{');
      for (int k = 0; k < 8; k++) {
        line.append(k == 0 ? "" : ",").append("\"k").append(k).append("\":");
        line.append(randomNumber(random));
      }
      String text = line.append('}').toString();
      assertSameResults(text);
    }
  }

  private static String randomNumber(Random random) {
    switch (random.nextInt(4)) {
      case 0:
        return Double.toString(Double.longBitsToDouble(random.nextLong()))
            .replace("Infinity", "1e999")
            .replace("NaN", "0.5");
      case 1:
        return Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
      case 2:
        return Long.toString(random.nextLong() >> random.nextInt(64));
      default:
        StringBuilder digits = new StringBuilder(random.nextBoolean() ? "-" : "");
        digits.append(1 + random.nextInt(9));
        for (int i = random.nextInt(25); i > 0; i--) {
          digits.append(random.nextInt(10));
        }
        digits.append('.');
        for (int i = 1 + random.nextInt(25); i > 0; i--) {
          digits.append(random.nextInt(10));
        }
        if (random.nextBoolean()) {
          digits.append('e').append(random.nextInt(60) - 30);
        }
        return digits.toString();
    }
  }

  private static void assertSameResults(String line) {
    LineParser fast = new LineParser();
    LineParser general = new LineParser();
    BadInputException generalError = null;
    try {
      general.parseGeneral(line, 4);
    } catch (BadInputException e) {
      generalError = e;
    }
    if (generalError != null) {
      BadInputException fastError = assertThrows(BadInputException.class, () -> fast.parse(line, 4));
      assertEquals(generalError.getMessage(), fastError.getMessage());
      return;
    }
    fast.parse(line, 4);
    assertEquals(describe(general), describe(fast), line);
  }

  private static List<String> describe(LineParser p) {
    List<String> out = new ArrayList<>();
    out.add("step=" + p.hasStep + ":" + p.step);
    for (int i = 0; i < p.size; i++) {
      out.add(
          p.keys[i] + "=" + p.kinds[i] + ":" + Long.toHexString(Double.doubleToRawLongBits(p.values[i])));
    }
    return out;
  }
}
