package dev.runbus.service.grpc;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSyntaxTest {

  private static String problem(String text) {
    return JsonSyntax.problem(text.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0", "-0", "1.5", "-12.25e+3", "1E9", "NaN", "Infinity", "-Infinity", "true", "false",
        "null", "\"\"", "\"a\\\"b\\\\c\\u00e9\\n\"", "\"é 日本 😀\"", "[]", "{}", " [1, 2.5, \"x\"] ",
        "{\"a\": {\"b\": [null, true]}, \"c\": -1}", "12345678901234567890123456789"
      })
  void acceptsJsonAsRunbusAndWandbWriteIt(String json) {
    assertNull(problem(json), json);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", " ", "01", "1.", ".5", "1e", "+1", "- 1", "nan", "inf", "True", "\"open", "'single'",
        "\"tab\there\"", "\"\\x\"", "\"\\u12g4\"", "[1,]", "[1 2]", "{\"a\" 1}", "{a: 1}",
        "{\"a\": 1,}", "{\"a\": 1", "1 2", "[", "-", "-Inf", "{\"a\":1}}"
      })
  void refusesWhatIsNotOneJsonValue(String text) {
    assertNotNull(problem(text), text);
  }

  @org.junit.jupiter.api.Test
  void refusesBytesThatAreNotUtf8() {
    byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
    byte[] surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
    byte[] cut = {'"', (byte) 0xE6, (byte) 0x97, '"'};
    assertNotNull(JsonSyntax.problem(overlong));
    assertNotNull(JsonSyntax.problem(surrogate));
    assertNotNull(JsonSyntax.problem(cut));
  }

  @org.junit.jupiter.api.Test
  void limitsNestingAndNamesAsTheJavaApiDoes() {
    assertNull(problem("[".repeat(100) + "]".repeat(100)));
    assertNotNull(problem("[".repeat(101) + "]".repeat(101)));
    assertNull(problem("{\"" + "k".repeat(50_000) + "\": 1}"));
    assertNotNull(problem("{\"" + "k".repeat(50_001) + "\": 1}"));
    // a name's limit is in chars, not bytes: 25,000 two-byte chars are 25,000 chars
    assertNull(problem("{\"" + "é".repeat(50_000) + "\": 1}"));
  }
}
