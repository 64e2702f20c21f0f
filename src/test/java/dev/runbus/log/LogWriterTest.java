package dev.runbus.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.FinalRecord;
import dev.runbus.proto.HeaderRecord;
import dev.runbus.proto.Record;
import dev.runbus.proto.RunRecord;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer against the wire reference's test vectors (4.3) and its own contract. */
class LogWriterTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final int BLOCK = LogFormat.BLOCK_SIZE;

  @TempDir Path dir;

  private int files;

  @Test
  void headerRecordWithNumMatchesTheVector() throws IOException {
    Record header = Record.newBuilder().setHeader(HeaderRecord.getDefaultInstance()).build();
    assertEquals("0801aa0100", HEX.formatHex(header.toBuilder().setNum(1).build().toByteArray()));

    byte[] file = write(w -> w.append(1, header));

    assertEquals("3a572642e1be00" + "55b7a63f050001" + "0801aa0100", HEX.formatHex(file));
  }

  @Test
  void headerRecordWithoutNumMatchesTheVector() throws IOException {
    Record header = Record.newBuilder().setHeader(HeaderRecord.getDefaultInstance()).build();

    byte[] file = write(w -> w.append(0, header));

    assertEquals("3a572642e1be00" + "8e510c54030001" + "aa0100", HEX.formatHex(file));
  }

  @Test
  void firstRecordOf40000BytesIsFirstPlusLast() throws IOException {
    byte[] file = write(w -> w.append(new byte[40000], 0, 40000));

    assertEquals(40021, file.length);
    assertChunkHeader(file, 7, LogFormat.FIRST, 32754);
    assertChunkHeader(file, BLOCK, LogFormat.LAST, 7246);
  }

  @Test
  void sixBytesLeftArePaddedWithZeros() throws IOException {
    byte[] file =
        write(
            w -> {
              w.append(new byte[BLOCK - 7 - 7 - 6], 0, BLOCK - 7 - 7 - 6);
              w.append(new byte[] {5}, 0, 1);
            });

    assertEquals(BLOCK + 7 + 1, file.length);
    assertArrayEquals(new byte[6], Arrays.copyOfRange(file, BLOCK - 6, BLOCK));
    assertChunkHeader(file, BLOCK, LogFormat.FULL, 1);
  }

  @Test
  void sevenBytesLeftGiveAnEmptyFirstChunk() throws IOException {
    byte[] file =
        write(
            w -> {
              w.append(new byte[BLOCK - 21], 0, BLOCK - 21);
              w.append(new byte[] {5}, 0, 1);
            });

    assertEquals(BLOCK + 7 + 1, file.length);
    assertChunkHeader(file, BLOCK - 7, LogFormat.FIRST, 0);
    assertChunkHeader(file, BLOCK, LogFormat.LAST, 1);
  }

  @Test
  void recordSpanningThreeBlocksHasAMiddleChunk() throws IOException {
    byte[] file =
        write(
            w -> {
              w.append(new byte[BLOCK - 22], 0, BLOCK - 22);
              w.append(new byte[32763], 0, 32763);
            });

    assertEquals(2 * BLOCK + 7 + 1, file.length);
    assertChunkHeader(file, BLOCK - 8, LogFormat.FIRST, 1);
    assertChunkHeader(file, BLOCK, LogFormat.MIDDLE, BLOCK - 7);
    assertChunkHeader(file, 2 * BLOCK, LogFormat.LAST, 1);
  }

  @Test
  void emptyPayloadIsAnEmptyFullChunk() throws IOException {
    byte[] file = write(w -> w.append(new byte[0], 0, 0));

    assertEquals(14, file.length);
    assertChunkHeader(file, 7, LogFormat.FULL, 0);
  }

  @Test
  void appendWithNumIsTheCanonicalEncodingOfTheRecordWithNum() throws IOException {
    Random random = new Random(7);
    List<Record> records =
        List.of(
            TestRecords.header(),
            Record.newBuilder().setHeader(HeaderRecord.getDefaultInstance()).build(),
            TestRecords.typicalRow(0, random),
            TestRecords.history(3, "loss", "NaN", "acc", "Infinity", "lr", "-Infinity"),
            TestRecords.bigHistory(4, 100_000, random),
            TestRecords.summary("best", "{\"a\": [1, 2]}"),
            Record.newBuilder()
                .setRun(RunRecord.newBuilder().setRunId("abc").setProject("p").addTags("t"))
                .build(),
            TestRecords.exit(-1, 42),
            Record.newBuilder().setFinal(FinalRecord.getDefaultInstance()).build(),
            TestRecords.bigHistory(9, 40_000, random));
    long[] nums = {1, 2, 127, 128, 300, 16_384, 1L << 40, Long.MAX_VALUE, 5, 6};
    Path file = dir.resolve("canonical.wandb");
    try (LogWriter writer = LogWriter.create(file)) {
      for (int i = 0; i < records.size(); i++) {
        writer.append(nums[i], records.get(i));
      }
    }

    List<LogEntry> entries = LogFiles.readAll(file);

    assertEquals(records.size(), entries.size());
    for (int i = 0; i < records.size(); i++) {
      byte[] canonical = records.get(i).toBuilder().setNum(nums[i]).build().toByteArray();
      assertArrayEquals(canonical, entries.get(i).payload(), "record " + i);
    }
  }

  @Test
  void appendReturnsTheEndOffsetAndCountsRecords() throws IOException {
    Path file = dir.resolve("offsets.wandb");
    LogWriter writer = LogWriter.create(file);
    try {
      assertEquals(7, writer.position());
      assertEquals(7 + 7 + 10, writer.append(new byte[10], 0, 10));
      assertEquals(7 + 7 + 10 + 40_000 + 14, writer.append(new byte[40_000], 0, 40_000));
      assertEquals(2, writer.recordsAppended());
      long end = writer.append(new byte[3], 1, 1);
      assertEquals(writer.position(), end);
      assertEquals(7 + 7 + 10 + 40_000 + 14 + 8, end);
      assertEquals(3, writer.recordsAppended());
    } finally {
      writer.close();
    }
    assertEquals(writer.position(), Files.size(file));
  }

  @Test
  void createWritesTheHeaderAtOnce() throws IOException {
    Path file = dir.resolve("empty.wandb");
    try (LogWriter writer = LogWriter.create(file)) {
      assertEquals("3a572642e1be00", HEX.formatHex(Files.readAllBytes(file)));
      assertEquals(7, writer.flushedPosition());
      try (LogReader reader = LogReader.open(file)) {
        assertEquals(null, reader.next());
        assertEquals(null, reader.tornTail());
      }
    }
  }

  @Test
  void createRefusesAnExistingFile() throws IOException {
    Path file = dir.resolve("taken.wandb");
    Files.write(file, new byte[] {1, 2, 3});

    FileAlreadyExistsException e =
        assertThrows(FileAlreadyExistsException.class, () -> LogWriter.create(file));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
  }

  @Test
  void bytesStayBufferedUntilFlush() throws IOException {
    Path file = dir.resolve("buffered.wandb");
    try (LogWriter writer = LogWriter.create(file)) {
      long end = writer.append(new byte[100], 0, 100);
      assertEquals(7, Files.size(file));
      assertEquals(7, writer.flushedPosition());

      writer.flush();
      assertEquals(end, Files.size(file));
      assertEquals(end, writer.flushedPosition());

      writer.append(new byte[100], 0, 100);
      writer.sync();
      assertEquals(writer.position(), Files.size(file));
    }
  }

  @Test
  void syncForcesEverythingAppendedSoFarToTheDevice() throws IOException {
    List<ForceRecordingChannel> opened = new java.util.ArrayList<>();
    try (LogWriter writer =
        LogWriter.create(dir.resolve("synced.wandb"), ForceRecordingChannel.opener(opened))) {
      long first = writer.append(new byte[100], 0, 100);
      writer.sync();
      long end = writer.append(new byte[50_000], 0, 50_000); // across a block end
      writer.sync();
      assertEquals(List.of(first, end), opened.get(0).forcedSizes());
      assertEquals(2, writer.syncs());
      assertEquals(end, writer.syncedPosition());
    }
  }

  @Test
  void forcingAheadCoversWhatWasHandedOver() throws IOException {
    List<ForceRecordingChannel> opened = new java.util.ArrayList<>();
    try (LogWriter writer =
        LogWriter.create(dir.resolve("ahead.wandb"), ForceRecordingChannel.opener(opened))) {
      long handedOver = writer.append(new byte[100], 0, 100);
      writer.flush();
      writer.append(new byte[100], 0, 100); // still buffered: not covered
      writer.forceHandedOver();
      assertEquals(List.of(handedOver), opened.get(0).forcedSizes());
      assertEquals(1, writer.syncs());
      assertEquals(handedOver, writer.syncedPosition());
    }
  }

  @Test
  void flushAndCloseNeverForce() throws IOException {
    List<ForceRecordingChannel> opened = new java.util.ArrayList<>();
    LogWriter writer =
        LogWriter.create(dir.resolve("unforced.wandb"), ForceRecordingChannel.opener(opened));
    writer.append(new byte[40_000], 0, 40_000);
    writer.flush();
    writer.close();
    assertEquals(List.of(), opened.get(0).forcedSizes());
    assertEquals(0, writer.syncs());
    assertEquals(0, writer.syncedPosition());
  }

  @Test
  void forcingFromAnotherThreadLeavesAppendsIntact() throws Exception {
    Path file = dir.resolve("forced.wandb");
    int records = 20_000;
    try (LogWriter writer = LogWriter.create(file)) {
      java.util.concurrent.atomic.AtomicReference<Throwable> failed =
          new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicBoolean appending =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      java.util.concurrent.atomic.AtomicInteger forces =
          new java.util.concurrent.atomic.AtomicInteger();
      Thread forcer =
          new Thread(
              () -> {
                try {
                  do { // for as long as the appends go on, and at least once however they race
                    writer.forceHandedOver();
                    forces.incrementAndGet();
                  } while (appending.get());
                } catch (Throwable e) {
                  failed.set(e);
                }
              });
      forcer.start();
      for (int i = 0; i < records; i++) {
        byte[] payload = ("record " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        writer.append(payload, 0, payload.length);
        if (i % 1000 == 0) {
          writer.flush();
        }
      }
      appending.set(false);
      forcer.join();
      assertNull(failed.get(), "forcing while appending threw");
      assertTrue(forces.get() > 0, "the forcer ran");
    }
    try (LogReader reader = LogReader.open(file)) {
      for (int i = 0; i < records; i++) {
        assertEquals("record " + i, new String(reader.next().payload(), "US-ASCII"));
      }
      assertEquals(null, reader.next());
    }
  }

  @Test
  void aFullBlockIsWrittenWithoutFlush() throws IOException {
    Path file = dir.resolve("blocks.wandb");
    try (LogWriter writer = LogWriter.create(file)) {
      writer.append(new byte[40_000], 0, 40_000);
      // the FIRST chunk completed block 0; the LAST chunk is still in memory
      assertEquals(BLOCK, Files.size(file));
      assertEquals(BLOCK, writer.flushedPosition());
      assertEquals(40_021, writer.position());
    }
  }

  @Test
  void closeIsIdempotentAndEndsAppending() throws IOException {
    Path file = dir.resolve("closed.wandb");
    LogWriter writer = LogWriter.create(file);
    writer.append(new byte[5], 0, 5);
    writer.close();
    writer.close();

    assertEquals(19, Files.size(file));
    IOException e = assertThrows(IOException.class, () -> writer.append(new byte[5], 0, 5));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IOException.class, writer::flush);
  }

  @Test
  void appendChecksItsBounds() throws IOException {
    try (LogWriter writer = LogWriter.create(dir.resolve("bounds.wandb"))) {
      assertThrows(IndexOutOfBoundsException.class, () -> writer.append(new byte[5], 3, 3));
    }
  }

  private static void assertChunkHeader(byte[] file, int offset, byte type, int length) {
    int storedLength = (file[offset + 4] & 0xff) | (file[offset + 5] & 0xff) << 8;
    assertEquals(type, file[offset + 6], "type at " + offset);
    assertEquals(length, storedLength, "length at " + offset);
    int crc =
        (file[offset] & 0xff)
            | (file[offset + 1] & 0xff) << 8
            | (file[offset + 2] & 0xff) << 16
            | (file[offset + 3] & 0xff) << 24;
    assertEquals(LogFormat.checksum(type, file, offset + 7, length), crc, "checksum at " + offset);
  }

  private byte[] write(WriterAction action) throws IOException {
    Path file = dir.resolve("log-" + (++files) + ".wandb");
    try (LogWriter writer = LogWriter.create(file)) {
      action.run(writer);
    }
    return Files.readAllBytes(file);
  }

  @FunctionalInterface
  private interface WriterAction {
    void run(LogWriter writer) throws IOException;
  }
}
