package dev.runbus.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AsciiDigitsTest {

  @ParameterizedTest
  @ValueSource(
      longs = {0, 7, 10, -1, -90, 1795734930, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE})
  void writesWhatLongToStringWrites(long value) {
    byte[] out = new byte[24];
    int end = AsciiDigits.write(value, out, 2);
    assertEquals(Long.toString(value), new String(out, 2, end - 2, StandardCharsets.US_ASCII));
  }
}
