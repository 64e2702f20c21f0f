package dev.runbus.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How LogReader treats bad headers, torn tails, corruption and zeroed space. */
class LogReaderTest {

  private static final int BLOCK = LogFormat.BLOCK_SIZE;

  @TempDir Path dir;

  private Path file;
  private final List<byte[]> payloads = new ArrayList<>();
  private final List<Long> starts = new ArrayList<>();
  private final List<Long> ends = new ArrayList<>();

  @BeforeEach
  void setUp() {
    file = dir.resolve("run.wandb");
  }

  // ---- header

  @Test
  void wrongVersionIsNamed() throws IOException {
    Files.write(file, HexFormat.of().parseHex("3a572642e1be01"));

    LogFormatException e = assertThrows(LogFormatException.class, () -> LogReader.open(file));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("bad header at offset 0 (expected 3a572642e1be00, found 3a572642e1be01)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("unsupported version 1"), e.getMessage());
  }

  @Test
  void wrongMagicAndIdentAreNamed() throws IOException {
    Files.write(file, HexFormat.of().parseHex("3a572642e1bf00"));
    assertTrue(
        assertThrows(LogFormatException.class, () -> LogReader.open(file))
            .getMessage()
            .contains("wrong magic"));

    Files.write(file, "{\"json\": 1}".getBytes());
    assertTrue(
        assertThrows(LogFormatException.class, () -> LogReader.open(file))
            .getMessage()
            .contains("wrong ident"));
  }

  @Test
  void fileShorterThanTheHeaderIsNotALog() throws IOException {
    Files.write(file, new byte[] {0x3a, 0x57});

    LogFormatException e = assertThrows(LogFormatException.class, () -> LogReader.open(file));

    assertTrue(e.getMessage().contains("2 bytes"), e.getMessage());
  }

  // ---- torn tails

  @Test
  void cutInsideAMultiChunkRecordIsATornTail() throws IOException {
    write(100, 90_000, 100);
    LogFiles.truncate(file, starts.get(1) + 40_000);

    assertTornAfter(1, starts.get(1));
  }

  @Test
  void cutAtTheEndOfAFirstChunkIsATornTail() throws IOException {
    write(100, 90_000);
    LogFiles.truncate(file, BLOCK);

    TornTail tail = assertTornAfter(1, starts.get(1));
    assertTrue(tail.reason().contains("LAST"), tail.reason());
  }

  @Test
  void cutInsideALaterChunkHeaderReportsTheRecordStart() throws IOException {
    write(100, 90_000);
    LogFiles.truncate(file, 2 * BLOCK + 3); // inside the LAST chunk's header

    assertTornAfter(1, starts.get(1));
  }

  @Test
  void cutInsideAChunkHeaderIsATornTail() throws IOException {
    write(100, 200, 300);
    LogFiles.truncate(file, starts.get(2) + 3);

    TornTail tail = assertTornAfter(2, starts.get(2));
    assertEquals(3, tail.bytes());
    assertTrue(tail.reason().contains("chunk header"), tail.reason());
  }

  @Test
  void cutInsideAPayloadIsATornTail() throws IOException {
    write(100, 200, 300);
    LogFiles.truncate(file, starts.get(2) + 7 + 2);

    TornTail tail = assertTornAfter(2, starts.get(2));
    assertEquals(9, tail.bytes());
    assertTrue(tail.reason().contains("payload"), tail.reason());
  }

  @Test
  void cutInsideTrailerPaddingIsATornTail() throws IOException {
    write(BLOCK - 7 - 7 - 6, 10);
    LogFiles.truncate(file, BLOCK - 3);

    assertTornAfter(1, BLOCK - 6);
  }

  @Test
  void cutAtARecordEndIsACleanEnd() throws IOException {
    write(100, 200, 300);
    LogFiles.truncate(file, ends.get(1));

    try (LogReader reader = LogReader.open(file)) {
      assertEquals(2, LogFiles.readUntilEnd(reader).size());
      assertNull(reader.tornTail());
    }
  }

  // ---- corruption

  @Test
  void flippedPayloadByteIsCorruptionAtThatChunk() throws IOException {
    write(100, 200, 300, 400, 500);
    LogFiles.flipByte(file, starts.get(2) + 7 + 150);

    CorruptLogException e = assertCorruptAfter(2, starts.get(2));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + starts.get(2)), e.getMessage());
  }

  @Test
  void flippedByteInALastChunkIsCorruptionAtTheLastChunk() throws IOException {
    write(100, 90_000, 100);
    LogFiles.flipByte(file, 2 * BLOCK + 7 + 10);

    assertCorruptAfter(1, 2 * BLOCK);
  }

  @Test
  void corruptionIsRepeatedOnLaterCalls() throws IOException {
    write(100, 200);
    LogFiles.flipByte(file, starts.get(0) + 1);

    try (LogReader reader = LogReader.open(file)) {
      CorruptLogException first = assertThrows(CorruptLogException.class, reader::next);
      assertSame(first, assertThrows(CorruptLogException.class, reader::next));
    }
  }

  @Test
  void middleOrLastWithoutFirstIsCorruption() throws IOException {
    new LogFiles.Raw()
        .chunk(LogFormat.FULL, new byte[3])
        .chunk(LogFormat.MIDDLE, new byte[4])
        .writeTo(file);
    assertTrue(assertCorruptAfter(1, 17).reason().contains("without a FIRST"));

    new LogFiles.Raw().chunk(LogFormat.LAST, new byte[4]).writeTo(file);
    assertCorruptAfter(0, 7);
  }

  @Test
  void fullOrFirstInsideAnOpenRecordIsCorruption() throws IOException {
    new LogFiles.Raw()
        .chunk(LogFormat.FIRST, new byte[3])
        .chunk(LogFormat.FULL, new byte[4])
        .writeTo(file);
    assertTrue(assertCorruptAfter(0, 17).reason().contains("starts at offset 7"));

    new LogFiles.Raw()
        .chunk(LogFormat.FIRST, new byte[3])
        .chunk(LogFormat.FIRST, new byte[4])
        .writeTo(file);
    assertCorruptAfter(0, 17);
  }

  @Test
  void unknownChunkTypeIsCorruption() throws IOException {
    new LogFiles.Raw().chunk(LogFormat.FULL, new byte[3]).chunk(5, new byte[4]).writeTo(file);

    assertTrue(assertCorruptAfter(1, 17).reason().contains("unknown chunk type 5"));
  }

  @Test
  void lengthPastTheBlockEndIsCorruption() throws IOException {
    new LogFiles.Raw().chunk(LogFormat.FULL, BLOCK - 7 - 7 + 1, new byte[10]).writeTo(file);

    assertTrue(assertCorruptAfter(0, 7).reason().contains("runs past the block end"));
  }

  @Test
  void nonZeroTrailerPaddingIsCorruption() throws IOException {
    new LogFiles.Raw()
        .chunk(LogFormat.FULL, new byte[BLOCK - 7 - 7 - 6])
        .bytes(new byte[] {0, 0, 1, 0, 0, 0})
        .chunk(LogFormat.FULL, new byte[1])
        .writeTo(file);

    assertTrue(assertCorruptAfter(1, BLOCK - 6).reason().contains("padding"));
  }

  // ---- zeroed (preallocated) space

  @Test
  void zeroedSpaceAfterTheDataIsTheEnd() throws IOException {
    write(100, 90_000, 100);
    LogFiles.appendBytes(file, new byte[3 * BLOCK + 123]);

    try (LogReader reader = LogReader.open(file)) {
      assertEquals(3, LogFiles.readUntilEnd(reader).size());
      assertNull(reader.tornTail());
    }
  }

  @Test
  void zeroedSpaceFollowedByDataIsCorruption() throws IOException {
    write(100, 200);
    byte[] zerosThenData = new byte[BLOCK + 50];
    zerosThenData[BLOCK + 10] = 1;
    LogFiles.appendBytes(file, zerosThenData);

    CorruptLogException e = assertCorruptAfter(2, ends.get(1));
    assertTrue(e.reason().contains("offset " + (ends.get(1) + BLOCK + 10)), e.reason());
  }

  @Test
  void zeroedSpaceInsideAnOpenRecordIsATornTail() throws IOException {
    write(100, 90_000);
    LogFiles.truncate(file, BLOCK);
    LogFiles.appendBytes(file, new byte[BLOCK]);

    TornTail tail = assertTornAfter(1, starts.get(1));
    assertEquals(2 * BLOCK - starts.get(1), tail.bytes());
  }

  /** Writes random payloads of the given sizes and records where each starts and ends. */
  private void write(int... sizes) throws IOException {
    Random random = new Random(sizes.length);
    try (LogWriter writer = LogWriter.create(file)) {
      for (int size : sizes) {
        byte[] payload = TestRecords.randomBytes(random, size);
        payloads.add(payload);
        starts.add(LogFiles.chunkStart(writer.position()));
        ends.add(writer.append(payload, 0, payload.length));
      }
    }
  }

  private TornTail assertTornAfter(int intactRecords, long tornOffset) throws IOException {
    try (LogReader reader = LogReader.open(file)) {
      List<LogEntry> entries = LogFiles.readUntilEnd(reader);
      assertIntact(intactRecords, entries);
      TornTail tail = reader.tornTail();
      assertNotNull(tail, "expected a torn tail");
      assertEquals(tornOffset, tail.offset(), tail.toString());
      assertEquals(Files.size(file) - tornOffset, tail.bytes(), tail.toString());
      assertNull(reader.next());
      return tail;
    }
  }

  private CorruptLogException assertCorruptAfter(int intactRecords, long corruptOffset)
      throws IOException {
    try (LogReader reader = LogReader.open(file)) {
      List<LogEntry> entries = new ArrayList<>();
      CorruptLogException e =
          assertThrows(
              CorruptLogException.class,
              () -> {
                for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
                  entries.add(entry);
                }
              });
      assertEquals(intactRecords, entries.size(), "records before the corruption");
      if (!payloads.isEmpty()) {
        assertIntact(intactRecords, entries);
      }
      assertEquals(corruptOffset, e.offset(), e.getMessage());
      assertTrue(e.getMessage().contains("at offset " + corruptOffset), e.getMessage());
      return e;
    }
  }

  private void assertIntact(int count, List<LogEntry> entries) {
    assertEquals(count, entries.size(), "intact records");
    for (int i = 0; i < count; i++) {
      assertEquals(starts.get(i), entries.get(i).offset());
      assertArrayEquals(payloads.get(i), entries.get(i).payload());
    }
  }
}
