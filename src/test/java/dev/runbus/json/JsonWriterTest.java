package dev.runbus.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonWriterTest {

  /** RFC 8259's number grammar. */
  static final Pattern JSON_NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  static Stream<Arguments> strings() {
    return Stream.of(
        Arguments.of("", "\"\""),
        Arguments.of("plain", "\"plain\""),
        Arguments.of("a\"b\\c/d", "\"a\\\"b\\\\c/d\""),
        Arguments.of("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""),
        Arguments.of("\u0000\u0001\u001F", "\"\\u0000\\u0001\\u001F\""),
        Arguments.of("\u007F\u0085\u2028é", "\"\u007F\u0085\u2028é\""),
        Arguments.of("😀", "\"😀\""),
        Arguments.of("x\uD800", "\"x\\uD800\""),
        Arguments.of("\uDC00x", "\"\\uDC00x\""),
        Arguments.of("\uDC00\uD800", "\"\\uDC00\\uD800\""),
        Arguments.of("\uD83D\uD83D\uDE00", "\"\\uD83D😀\""));
  }

  @ParameterizedTest
  @MethodSource("strings")
  void escapesStrings(String s, String json) {
    StringBuilder sb = new StringBuilder();
    JsonWriter.appendString(sb, s);
    assertEquals(json, sb.toString());
    assertEquals(s, JsonValues.parse(json), "Jackson reads it back");
  }

  static Stream<Arguments> numbers() {
    return Stream.of(
        Arguments.of(0.1, "0.1"),
        Arguments.of(1.0, "1.0"),
        Arguments.of(-0.0, "-0.0"),
        Arguments.of(1e-5, "1.0E-5"),
        Arguments.of(1e21, "1.0E21"),
        Arguments.of(1e23, "1.0E23"), // Double.toString on Java 17 says 9.999999999999999E22
        Arguments.of(123456789.0, "1.23456789E8"),
        Arguments.of(Double.MIN_VALUE, "4.9E-324"),
        Arguments.of(Double.MAX_VALUE, "1.7976931348623157E308"),
        Arguments.of(Double.NaN, "NaN"),
        Arguments.of(Double.POSITIVE_INFINITY, "Infinity"),
        Arguments.of(Double.NEGATIVE_INFINITY, "-Infinity"),
        Arguments.of(0.1f, "0.1"),
        Arguments.of(1e10f, "1.0E10"),
        Arguments.of(Float.MIN_VALUE, "1.4E-45"),
        Arguments.of(Float.NaN, "NaN"),
        Arguments.of(Float.POSITIVE_INFINITY, "Infinity"),
        Arguments.of(42, "42"),
        Arguments.of(Long.MIN_VALUE, "-9223372036854775808"),
        Arguments.of((short) -3, "-3"),
        Arguments.of((byte) 127, "127"),
        Arguments.of(new BigInteger("-98765432109876543210"), "-98765432109876543210"),
        Arguments.of(new BigDecimal("1E+3"), "1E+3"),
        Arguments.of(new BigDecimal("-123.4500"), "-123.4500"),
        Arguments.of(new BigDecimal("1.5E-10"), "1.5E-10"),
        Arguments.of(new BigDecimal("0E-10"), "0E-10"),
        Arguments.of(new BigDecimal("1e-400"), "1E-400"),
        Arguments.of(new AtomicLong(-5), "-5"));
  }

  @ParameterizedTest
  @MethodSource("numbers")
  void writesNumbers(Number n, String json) {
    assertEquals(json, JsonWriter.numberToJson(n));
    assertEquals(json, JsonWriter.toJson(n));
    StringBuilder sb = new StringBuilder("[");
    JsonWriter.appendValue(sb, n);
    assertEquals("[" + json, sb.toString());
    boolean nonFinite = json.endsWith("NaN") || json.endsWith("Infinity");
    assertTrue(nonFinite || JSON_NUMBER.matcher(json).matches(), json);
    JsonValues.parse(json); // Jackson accepts it
  }

  @Test
  void writesScalarsAndContainers() {
    assertEquals("null", JsonWriter.toJson(null));
    assertEquals("true", JsonWriter.toJson(true));
    assertEquals("\"x\"", JsonWriter.toJson('x'));
    assertEquals("\"SECONDS\"", JsonWriter.toJson(TimeUnit.SECONDS));
    assertEquals("{\"v\":[1]}", JsonWriter.toJson(new JsonText("{\"v\":[1]}")));
    assertEquals(
        "{\"a\":[1,2.5,\"x\",true]}", JsonWriter.toJson(Map.of("a", List.of(1, 2.5, "x", true))));
    assertEquals(
        "[[NaN],{\"k\":null}]",
        JsonWriter.toJson(List.of(new double[] {Double.NaN}, LogValuesCopyTest.map("k", null))));
  }

  @Test
  void appendsToWhatIsAlreadyThere() {
    StringBuilder sb = new StringBuilder("{\"a\":");
    JsonWriter.appendValue(sb, List.of(1.5f));
    JsonWriter.appendDouble(sb.append(",\"b\":"), 2);
    JsonWriter.appendFloat(sb.append(",\"c\":"), 0.3f);
    assertEquals("{\"a\":[1.5],\"b\":2.0,\"c\":0.3}", sb.append('}').toString());
  }

  @Test
  void rejectsUnsupportedTypesOutsideOfLog() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> JsonWriter.toJson(List.of(new Object())));
    assertEquals(
        "JSON value contains type java.lang.Object at value[0], which cannot be serialised to JSON;"
            + " use numbers, booleans, strings, lists, arrays or maps",
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1E+3", "0.000", "-1.23E-7", "123456789012345678901234567890.5"})
  void bigDecimalTextIsValidJson(String text) {
    String json = JsonWriter.numberToJson(new BigDecimal(text));
    assertTrue(JSON_NUMBER.matcher(json).matches(), json);
    assertEquals(
        new BigDecimal(text).doubleValue(), ((Number) JsonValues.parse(json)).doubleValue());
  }
}
