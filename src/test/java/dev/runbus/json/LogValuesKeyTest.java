package dev.runbus.json;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LogValuesKeyTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "loss",
        "train/loss",
        "a.b",
        "a b",
        "_steps",
        "step",
        "_Step",
        "runtime",
        "loss😀",
        "学习率",
        "x",
        "_"
      })
  void acceptsOrdinaryKeys(String key) {
    assertDoesNotThrow(() -> LogValues.checkKey(key));
  }

  @Test
  void acceptsKeyOfExactlyTheLimit() {
    assertDoesNotThrow(() -> LogValues.checkKey("k".repeat(LogValues.MAX_KEY_LENGTH)));
  }

  static Stream<Arguments> rejectedKeys() {
    return Stream.of(
        Arguments.of("", "log() key must not be empty"),
        Arguments.of(
            "_step",
            "log() key \"_step\" is reserved: _step, _runtime and _timestamp are set by runbus"),
        Arguments.of(
            "_runtime",
            "log() key \"_runtime\" is reserved: _step, _runtime and _timestamp are set by runbus"),
        Arguments.of(
            "_timestamp",
            "log() key \"_timestamp\" is reserved: _step, _runtime and _timestamp are set by runbus"),
        Arguments.of(
            "a\uD800b",
            "log() key \"a\\uD800b\" contains an unpaired surrogate U+D800 at index 1;"
                + " keys must be valid Unicode"),
        Arguments.of(
            "\uDC00",
            "log() key \"\\uDC00\" contains an unpaired surrogate U+DC00 at index 0;"
                + " keys must be valid Unicode"));
  }

  @ParameterizedTest
  @MethodSource("rejectedKeys")
  void rejectsWithAMessageNamingTheKey(String key, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogValues.checkKey(key));
    assertEquals(message, e.getMessage());
  }

  @Test
  void rejectsNull() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogValues.checkKey(null));
    assertEquals("log() key must not be null", e.getMessage());
  }

  @Test
  void rejectsLongKeyAndTruncatesItInTheMessage() {
    String key = "a".repeat(100) + "b".repeat(157);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogValues.checkKey(key));
    assertEquals(
        "log() key \""
            + "a".repeat(60)
            + "\"…(257 chars) is too long: 257 characters, the limit is 256",
        e.getMessage());
  }

  @Test
  void truncationDoesNotSplitASurrogatePair() {
    String key = "a".repeat(59) + "😀".repeat(200);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogValues.checkKey(key));
    assertTrue(
        e.getMessage().startsWith("log() key \"" + "a".repeat(59) + "\"…(459 chars)"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\\uD83D"), e.getMessage());
  }

  @Test
  void quotesControlCharactersVisibly() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogValues.checkKey("line\n".repeat(60)));
    assertTrue(e.getMessage().startsWith("log() key \"line\\nline\\n"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
