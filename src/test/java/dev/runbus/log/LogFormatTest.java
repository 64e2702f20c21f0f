package dev.runbus.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LogFormatTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void fileHeaderIsIdentMagicAndVersion() {
    assertEquals("3a572642e1be00", HEX.formatHex(LogFormat.fileHeader()));
  }

  @Test
  void checksumIsPlainCrc32OverTypeAndPayload() {
    // wire reference 4.3: Record{num:1, header:{}} and Record{header:{}}
    byte[] withNum = HEX.parseHex("0801aa0100");
    assertEquals(0x3fa6b755, LogFormat.checksum(LogFormat.FULL, withNum, 0, withNum.length));
    assertEquals(0x540c518e, LogFormat.checksum(LogFormat.FULL, withNum, 2, 3));
  }

  @Test
  void checksumCoversTheTypeByte() {
    byte[] payload = HEX.parseHex("aa0100");
    assertNotEquals(
        LogFormat.checksum(LogFormat.FIRST, payload, 0, 3),
        LogFormat.checksum(LogFormat.FULL, payload, 0, 3));
  }
}
