package dev.runbus.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonValuesTest {

  @Test
  void parsesIntoPlainJavaTypes() {
    Object v =
        JsonValues.parse(
            "{\"b\":1,\"a\":[2.5,\"x\",true,false,null,{}],\"big\":123456789012345678901234567890}");
    Map<?, ?> map = assertInstanceOf(LinkedHashMap.class, v);
    assertEquals(List.of("b", "a", "big"), new ArrayList<>(map.keySet()), "order kept");
    assertEquals(1L, map.get("b"));
    List<?> list = assertInstanceOf(ArrayList.class, map.get("a"));
    assertEquals(2.5, list.get(0));
    assertEquals("x", list.get(1));
    assertEquals(true, list.get(2));
    assertEquals(false, list.get(3));
    assertNull(list.get(4));
    assertEquals(Map.of(), list.get(5));
    assertEquals(new BigInteger("123456789012345678901234567890"), map.get("big"));
  }

  @Test
  void integersAreLongsAndOtherNumbersDoubles() {
    assertEquals(7L, JsonValues.parse("7"));
    assertEquals(Long.MIN_VALUE, JsonValues.parse("-9223372036854775808"));
    assertEquals(1.0, JsonValues.parse("1.0"));
    assertEquals(1000.0, JsonValues.parse("1e3"));
    assertEquals(1e-5, JsonValues.parse("1.0E-5"));
  }

  @Test
  void acceptsNonFiniteTokens() {
    assertEquals(
        List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY),
        JsonValues.parse("[NaN, Infinity, -Infinity]"));
  }

  @Test
  void acceptsPythonStyleSpacingAndLastDuplicateWins() {
    assertEquals(Map.of("a", 2L), JsonValues.parse(" {\"a\": 1, \"a\": 2} "));
  }

  @Test
  void roundTripsWhatJsonWriterWrites() {
    Map<String, Object> value =
        LogValuesCopyTest.map(
            "s",
            "q\"\n\uD800😀",
            "n",
            null,
            "l",
            List.of(1L, -0.0, Double.NaN, 1e300, List.of()),
            "m",
            Map.of("k", false));
    assertEquals(value, JsonValues.parse(JsonWriter.toJson(value)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "{", "[1,]", "{\"a\" 1}", "1 2", "'x'", "nan", "{a:1}", "[1]]"})
  void rejectsInvalidJson(String json) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JsonValues.parse(json));
    assertTrue(e.getMessage().startsWith("not valid JSON: "), e.getMessage());
  }
}
