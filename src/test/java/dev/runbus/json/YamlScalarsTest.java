package dev.runbus.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class YamlScalarsTest {

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
    "a\rb",
    "tab\tx",
    "\u0085",
    "x\u2028y",
    "\uFEFFx",
    "\u00A0x",
    "\u3000x",
    "x\u007F",
    "x\u009F",
    "x\uFFFE",
    "x\uD800"
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

  static Stream<Arguments> quoted() {
    return Stream.of(
        Arguments.of("yes", "\"yes\""),
        Arguments.of("", "\"\""),
        Arguments.of("a\nb\t\"c\\", "\"a\\nb\\t\\\"c\\\\\""),
        Arguments.of(
            "\u0001\u007F\u0085\u2028\u2029\uFEFF\uFFFF",
            "\"\\u0001\\u007F\\u0085\\u2028\\u2029\\uFEFF\\uFFFF\""),
        Arguments.of("😀 ", "\"😀 \""),
        Arguments.of("x\uDC00", "\"x\\uDC00\""),
        Arguments.of("é ", "\"é \""));
  }

  @ParameterizedTest
  @MethodSource("quoted")
  void quotesLikeJsonWhereNeeded(String s, String yaml) {
    StringBuilder sb = new StringBuilder();
    YamlScalars.appendString(sb, s);
    assertEquals(yaml, sb.toString());
  }

  static Stream<String> needQuotes() {
    return Stream.of(NEED_QUOTES);
  }

  @ParameterizedTest
  @MethodSource("needQuotes")
  void quotesStringsThatWouldReadAsSomethingElse(String s) {
    StringBuilder sb = new StringBuilder();
    YamlScalars.appendString(sb, s);
    assertEquals('"', sb.charAt(0), sb.toString());
  }

  static Stream<String> plain() {
    return Stream.of(PLAIN);
  }

  @ParameterizedTest
  @MethodSource("plain")
  void leavesOrdinaryStringsPlain(String s) {
    StringBuilder sb = new StringBuilder();
    YamlScalars.appendString(sb, s);
    assertEquals(s, sb.toString());
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
        Arguments.of(
            new BigInteger("123456789012345678901234567890"), "123456789012345678901234567890"),
        Arguments.of(new BigDecimal("1E+3"), "1.0e+3"),
        Arguments.of(new BigDecimal("12"), "12.0"),
        Arguments.of(new BigDecimal("-1.25E-7"), "-1.25e-7"));
  }

  @ParameterizedTest
  @MethodSource("numbers")
  void writesNumbersSoYaml11ReadsTheRightType(Number n, String yaml) {
    StringBuilder sb = new StringBuilder();
    YamlScalars.appendNumber(sb, n);
    assertEquals(yaml, sb.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0E21", "1E+3", "12", "1.5", "-2E-5", "7.0e9"})
  void rewritesJsonNumbersAsYamlFloats(String json) {
    StringBuilder sb = new StringBuilder();
    YamlScalars.appendYamlFloat(sb, json);
    assertEquals(
        true,
        sb.toString().matches("[-+]?[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+][0-9]+)?"),
        sb.toString());
  }
}
