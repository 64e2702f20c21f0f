package dev.runbus.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scalars in {@code config.yaml} as PyYAML must read them back: strings plain only where YAML 1.1
 * reads a string, floats in YAML 1.1's float form. Checked on what {@link ConfigYaml} writes.
 */
class Yaml11QuotingTest {

  /** Strings YAML 1.1 would read as something else, or cannot hold unquoted. */
  static final String[] NEED_QUOTES = {
    "",
    "yes",
    "Yes",
    "YES",
    "no",
    "No",
    "on",
    "On",
    "off",
    "OFF",
    "true",
    "False",
    "null",
    "Null",
    "NULL",
    "~",
    "y",
    "n",
    "Y",
    "N",
    "1e3",
    "0x1F",
    "1_000",
    "0b101",
    "017",
    "12",
    "-5",
    "+5",
    "1.5",
    "1:30",
    ".5",
    ".inf",
    "-.inf",
    ".nan",
    ".NaN",
    "2020-01-01",
    "2001-12-14t21:59:43.10-05:00",
    " lead",
    "trail ",
    "a: b",
    "a #b",
    "ends:",
    "-x",
    "- x",
    "---",
    "...",
    "?x",
    ":x",
    ",x",
    "[x",
    "]x",
    "{x",
    "}x",
    "#x",
    "&x",
    "*x",
    "!x",
    "|x",
    ">x",
    "'x",
    "\"x",
    "%x",
    "@x",
    "`x",
    "=",
    "<<",
    "a\nb",
    "x\n",
    "\nx",
    "  a\nb",
    "a\n\n",
    "a \nb",
    "a\n b\n",
    "a\n\tb",
    "a\rb",
    "tab\tx",
    "\u0085",
    "x\u2028y",
    "\uFEFFx",
    "\u00A0x",
    "\u3000x",
    "x\u007F",
    "x\u009F",
    "x\uFFFE"
  };

  static final String[] PLAIN = {
    "plain",
    "plain text",
    "resnet50",
    "http://example.com/a?b=c#d",
    "a#b",
    "a:b",
    "it's",
    "say \"hi\"",
    "a - b",
    "a, b",
    "x]y",
    "x[0]",
    "x{y}",
    "_private",
    "/abs/path",
    "$HOME",
    "(x)",
    "résumé",
    "学习率",
    "ok😀",
    "Infinity",
    "NaN",
    "nan",
    "inf",
    "yes!",
    "None",
    "x*y",
    "a & b",
    "x 100%",
    "user@host",
    "x|y"
  };

  /** The text {@code config.yaml} holds for {@code value} at a top-level key. */
  static String written(Object value) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("k", value);
    String yaml = ConfigYaml.configYaml(config);
    String prefix = "wandb_version: 1\n\nk:\n  desc: null\n  value: ";
    assertTrue(yaml.startsWith(prefix) && yaml.endsWith("\n"), yaml);
    return yaml.substring(prefix.length(), yaml.length() - 1);
  }

  static Stream<Arguments> quoted() {
    return Stream.of(
        Arguments.of("yes", "\"yes\""),
        Arguments.of("", "\"\""),
        Arguments.of("12", "\"12\""),
        Arguments.of("1e3", "\"1e3\""),
        Arguments.of("a: b", "'a: b'"),
        Arguments.of("say \"hi\" ", "'say \"hi\" '"),
        Arguments.of("x\u0001", "\"x\\x01\""),
        Arguments.of("😀 ", "\"😀 \""));
  }

  @ParameterizedTest
  @MethodSource("quoted")
  void quotesWhereNeeded(String s, String yaml) {
    assertEquals(yaml, written(s));
  }

  static Stream<String> needQuotes() {
    return Stream.of(NEED_QUOTES);
  }

  @ParameterizedTest
  @MethodSource("needQuotes")
  void neverWritesPlainAStringThatWouldReadAsSomethingElse(String s) {
    assertNotEquals(s, written(s));
  }

  static Stream<String> plain() {
    return Stream.of(PLAIN);
  }

  @ParameterizedTest
  @MethodSource("plain")
  void leavesOrdinaryStringsPlain(String s) {
    assertEquals(s, written(s));
  }

  static Stream<Arguments> numbers() {
    return Stream.of(
        Arguments.of(1e-5, "1.0e-5"),
        Arguments.of(1e21, "1.0e+21"),
        Arguments.of(4.9e-324, "4.9e-324"),
        Arguments.of(0.001, "0.001"),
        Arguments.of(3.0, "3.0"),
        Arguments.of(-0.0, "-0.0"),
        Arguments.of(Double.NaN, ".nan"),
        Arguments.of(Double.POSITIVE_INFINITY, ".inf"),
        Arguments.of(Double.NEGATIVE_INFINITY, "-.inf"),
        Arguments.of(0.1f, "0.1"),
        Arguments.of(1e10f, "1.0e+10"),
        Arguments.of(Float.NaN, ".nan"),
        Arguments.of(42L, "42"),
        Arguments.of(-7, "-7"),
        Arguments.of((short) 3, "3"),
        Arguments.of(new java.util.concurrent.atomic.AtomicLong(5), "5"),
        Arguments.of(
            new BigInteger("123456789012345678901234567890"), "123456789012345678901234567890"),
        Arguments.of(new BigDecimal("1E+3"), "1.0e+3"),
        Arguments.of(new BigDecimal("12"), "12.0"),
        Arguments.of(new BigDecimal("-1.25E-7"), "-1.25e-7"));
  }

  @ParameterizedTest
  @MethodSource("numbers")
  void writesNumbersSoYaml11ReadsTheRightType(Number n, String yaml) {
    assertEquals(yaml, written(n));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0E21", "1E+3", "12", "1.5", "-2E-5", "7.0e9"})
  void rewritesJsonNumbersAsYaml11Floats(String json) {
    String yaml = ConfigYaml.yaml11Float(json);
    assertTrue(yaml.matches("[-+]?[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+][0-9]+)?"), yaml);
  }
}
