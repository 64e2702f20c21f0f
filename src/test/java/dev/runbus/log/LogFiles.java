package dev.runbus.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** File helpers for the log tests: read everything back, damage a file, craft raw chunks. */
final class LogFiles {

  private LogFiles() {}

  /** Every record of a log that must end cleanly. */
  static List<LogEntry> readAll(Path file) throws IOException {
    try (LogReader reader = LogReader.open(file)) {
      List<LogEntry> entries = readUntilEnd(reader);
      if (reader.tornTail() != null) {
        throw new AssertionError("unexpected torn tail: " + reader.tornTail());
      }
      return entries;
    }
  }

  /** Every record up to the end of the data (or a torn tail), collected as they come. */
  static List<LogEntry> readUntilEnd(LogReader reader) throws IOException {
    List<LogEntry> entries = new ArrayList<>();
    for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
      entries.add(entry);
    }
    return entries;
  }

  static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
  }

  static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x40);
    }
  }

  static void appendBytes(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, java.nio.file.StandardOpenOption.APPEND);
  }

  /** Where a record appended at {@code end} starts: after the trailer padding, if any. */
  static long chunkStart(long end) {
    long left = LogFormat.BLOCK_SIZE - end % LogFormat.BLOCK_SIZE;
    return left < LogFormat.CHUNK_HEADER_SIZE ? end + left : end;
  }

  /** Builds a log byte by byte, for chunk sequences no correct writer produces. */
  static final class Raw {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Raw() {
      out.writeBytes(LogFormat.fileHeader());
    }

    Raw chunk(int type, byte[] payload) {
      return chunk(type, payload.length, payload);
    }

    /** A chunk whose header claims {@code length}, with a correct checksum over {@code payload}. */
    Raw chunk(int type, int length, byte[] payload) {
      int crc = LogFormat.checksum((byte) type, payload, 0, payload.length);
      out.writeBytes(
          new byte[] {
            (byte) crc,
            (byte) (crc >>> 8),
            (byte) (crc >>> 16),
            (byte) (crc >>> 24),
            (byte) length,
            (byte) (length >>> 8),
            (byte) type
          });
      out.writeBytes(payload);
      return this;
    }

    Raw bytes(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    long size() {
      return out.size();
    }

    Path writeTo(Path file) throws IOException {
      return Files.write(file, out.toByteArray());
    }
  }
}
