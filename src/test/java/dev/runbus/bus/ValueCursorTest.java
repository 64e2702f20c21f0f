package dev.runbus.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ValueCursorTest {

  @Test
  void walksLengthPrefixedTexts() {
    byte[] long200 = new byte[200];
    Arrays.fill(long200, (byte) '7');
    byte[] bytes = new byte[3 + 3 + 1 + 2 + 200];
    int at = 0;
    bytes[at++] = 2;
    bytes[at++] = '0';
    bytes[at++] = '5';
    bytes[at++] = 2;
    bytes[at++] = 'N';
    bytes[at++] = 'a';
    bytes[at++] = 0; // an empty text
    bytes[at++] = (byte) (200 & 0x7F | 0x80); // 200 as a two-byte varint
    bytes[at++] = (byte) (200 >>> 7);
    System.arraycopy(long200, 0, bytes, at, 200);

    ValueCursor cursor = new ValueCursor(bytes);
    assertTrue(cursor.next());
    assertEquals("05", text(cursor));
    assertTrue(cursor.next());
    assertEquals("Na", text(cursor));
    assertTrue(cursor.next());
    assertEquals("", text(cursor));
    assertTrue(cursor.next());
    assertEquals(200, cursor.end() - cursor.start());
    assertFalse(cursor.next());
    assertEquals(4, ValueCursor.count(bytes));
  }

  @Test
  void refusesCutOffValues() {
    assertThrows(IllegalArgumentException.class, () -> ValueCursor.count(new byte[] {3, '1'}));
    assertThrows(IllegalArgumentException.class, () -> ValueCursor.count(new byte[] {(byte) 0x81}));
    assertEquals(0, ValueCursor.count(new byte[0]));
  }

  private static String text(ValueCursor cursor) {
    return new String(
        cursor.bytes(), cursor.start(), cursor.end() - cursor.start(), StandardCharsets.UTF_8);
  }
}
