package dev.runbus.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What LogWriter writes, LogReader returns: same payloads, at the offsets the framing implies. */
class LogRoundTripTest {

  private static final int BLOCK = LogFormat.BLOCK_SIZE;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42})
  void randomSizesWithRandomFlushesReadBackIntact(long seed) throws IOException {
    Random random = new Random(seed);
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      payloads.add(TestRecords.randomBytes(random, randomSize(random)));
    }
    Path flushed = dir.resolve("flushed.wandb");
    Path plain = dir.resolve("plain.wandb");

    List<Long> starts = new ArrayList<>();
    try (LogWriter writer = LogWriter.create(flushed)) {
      for (byte[] payload : payloads) {
        starts.add(LogFiles.chunkStart(writer.position()));
        writer.append(payload, 0, payload.length);
        if (random.nextInt(4) == 0) {
          writer.flush();
        }
      }
    }
    writeAll(plain, payloads);

    List<LogEntry> entries = LogFiles.readAll(flushed);
    assertEquals(payloads.size(), entries.size());
    for (int i = 0; i < payloads.size(); i++) {
      assertEquals(starts.get(i), entries.get(i).offset(), "offset of record " + i);
      assertArrayEquals(payloads.get(i), entries.get(i).payload(), "payload of record " + i);
    }
    // flushing changes when bytes reach the file, never which bytes or where
    assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(flushed));
  }

  @Test
  void everyWayToMeetABlockEndReadsBack() throws IOException {
    int[] seconds = {0, 1, 5, 6, 7, 8, BLOCK - 8, BLOCK - 7, BLOCK - 6, 2 * BLOCK};
    Random random = new Random(5);
    int files = 0;
    for (int first = BLOCK - 7 - 7 - 10; first <= BLOCK - 7 + 2; first++) {
      for (int second : seconds) {
        List<byte[]> payloads =
            List.of(
                TestRecords.randomBytes(random, first),
                TestRecords.randomBytes(random, second),
                TestRecords.randomBytes(random, 3));
        Path file = dir.resolve("edge-" + files++ + ".wandb");
        long end = writeAll(file, payloads);

        List<LogEntry> entries = LogFiles.readAll(file);
        assertEquals(end, Files.size(file));
        assertEquals(3, entries.size(), file.toString());
        for (int i = 0; i < 3; i++) {
          assertArrayEquals(
              payloads.get(i), entries.get(i).payload(), first + "/" + second + " record " + i);
        }
      }
    }
  }

  @Test
  void readerReachesTheEndOfTheFile() throws IOException {
    Path file = dir.resolve("end.wandb");
    long end = writeAll(file, List.of(new byte[10], new byte[70_000]));

    try (LogReader reader = LogReader.open(file)) {
      LogFiles.readUntilEnd(reader);
      assertEquals(end, reader.position());
      assertNull(reader.tornTail());
      assertNull(reader.next());
    }
  }

  @Test
  void readerIteratesOnce() throws IOException {
    Path file = dir.resolve("iterate.wandb");
    writeAll(file, List.of(new byte[1], new byte[2], new byte[50_000]));

    try (LogReader reader = LogReader.open(file)) {
      int count = 0;
      for (LogEntry entry : reader) {
        count++;
        assertEquals(count == 3 ? 50_000 : count, entry.length());
      }
      assertEquals(3, count);
      assertThrows(IllegalStateException.class, reader::iterator);
    }
  }

  /** Mostly typical rows, some near and across block sizes, a few that need MIDDLE chunks. */
  private static int randomSize(Random random) {
    int kind = random.nextInt(10);
    if (kind < 6) {
      return random.nextInt(500);
    }
    if (kind < 9) {
      return BLOCK - 40 + random.nextInt(80);
    }
    return random.nextInt(3 * BLOCK);
  }

  private static long writeAll(Path file, List<byte[]> payloads) throws IOException {
    try (LogWriter writer = LogWriter.create(file)) {
      for (byte[] payload : payloads) {
        writer.append(payload, 0, payload.length);
      }
      return writer.position();
    }
  }
}
