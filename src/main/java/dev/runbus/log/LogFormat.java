package dev.runbus.log;

import java.util.zip.CRC32;

/**
 * Constants of the {@code .wandb} transaction-log format (W&B's variant of the LevelDB log): a
 * 7-byte file header, then 32 KiB blocks counted from file offset 0, each holding chunks of {@code
 * uint32 crc LE | uint16 length LE | uint8 type} followed by the payload.
 */
public final class LogFormat {

  /** Size of the file header {@code :W&B}, magic 0xBEE1 (LE), version 0. */
  public static final int FILE_HEADER_SIZE = 7;

  /** Blocks are counted from offset 0, so the first one also holds the file header. */
  public static final int BLOCK_SIZE = 32768;

  public static final int CHUNK_HEADER_SIZE = 7;

  /** The most payload a chunk can carry: a whole block minus its header. */
  public static final int MAX_CHUNK_PAYLOAD = BLOCK_SIZE - CHUNK_HEADER_SIZE;

  public static final byte FULL = 1;
  public static final byte FIRST = 2;
  public static final byte MIDDLE = 3;
  public static final byte LAST = 4;

  private static final byte[] FILE_HEADER = {
    0x3a, 0x57, 0x26, 0x42, (byte) 0xe1, (byte) 0xbe, 0x00
  };

  private LogFormat() {}

  /** A fresh copy of the 7 header bytes {@code 3a 57 26 42 e1 be 00}. */
  public static byte[] fileHeader() {
    return FILE_HEADER.clone();
  }

  /** Whether {@code buf[off, off+7)} holds the file header. */
  static boolean isFileHeader(byte[] buf, int off) {
    for (int i = 0; i < FILE_HEADER_SIZE; i++) {
      if (buf[off + i] != FILE_HEADER[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The chunk checksum: plain CRC-32/IEEE over the type byte followed by the payload, unmasked (not
   * LevelDB's masked CRC32C).
   */
  public static int checksum(byte type, byte[] buf, int off, int len) {
    return checksum(new CRC32(), type, buf, off, len);
  }

  /**
   * As {@link #checksum(byte, byte[], int, int)}, reusing {@code crc} so hot paths allocate
   * nothing.
   */
  static int checksum(CRC32 crc, byte type, byte[] buf, int off, int len) {
    crc.reset();
    crc.update(type);
    crc.update(buf, off, len);
    return (int) crc.getValue();
  }

  static String typeName(int type) {
    switch (type) {
      case FULL:
        return "FULL";
      case FIRST:
        return "FIRST";
      case MIDDLE:
        return "MIDDLE";
      case LAST:
        return "LAST";
      default:
        return "type " + type;
    }
  }
}
