package dev.runbus.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash leaves exactly what the writer handed to the OS. Copying the file while the writer is
 * still open shows what a reader would find after a crash at that moment.
 */
class CrashSnapshotTest {

  private static final int BLOCK = LogFormat.BLOCK_SIZE;

  @TempDir Path dir;

  @Test
  void aSnapshotHoldsExactlyTheFlushedRecords() throws IOException {
    Random random = new Random(11);
    Path file = dir.resolve("live.wandb");
    List<byte[]> payloads = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    int snapshots = 0;
    int tornSnapshots = 0;
    try (LogWriter writer = LogWriter.create(file)) {
      for (int i = 0; i < 400; i++) {
        byte[] payload =
            TestRecords.randomBytes(
                random, random.nextInt(8) == 0 ? random.nextInt(80_000) : random.nextInt(600));
        payloads.add(payload);
        starts.add(LogFiles.chunkStart(writer.position()));
        ends.add(writer.append(payload, 0, payload.length));
        if (random.nextInt(5) == 0) {
          writer.flush();
        }
        if (random.nextInt(10) == 0) {
          Path copy = dir.resolve("snapshot-" + snapshots++ + ".wandb");
          Files.copy(file, copy);
          tornSnapshots +=
              checkSnapshot(copy, writer.flushedPosition(), payloads, starts, ends) ? 1 : 0;
        }
      }
    }
    // the seed gives both kinds of cut; without them this test would prove less than it claims
    assertTrue(
        snapshots > 20 && tornSnapshots > 0 && tornSnapshots < snapshots,
        snapshots + " snapshots, " + tornSnapshots + " torn");
  }

  @Test
  void aRecordLargerThanTheBlockIsTornUntilFlushed() throws IOException {
    Path file = dir.resolve("big.wandb");
    byte[] payload = TestRecords.randomBytes(new Random(3), 40_000);
    try (LogWriter writer = LogWriter.create(file)) {
      writer.append(payload, 0, payload.length);

      Path before = dir.resolve("before-flush.wandb");
      Files.copy(file, before);
      try (LogReader reader = LogReader.open(before)) {
        assertNull(reader.next());
        TornTail tail = reader.tornTail();
        assertNotNull(tail);
        assertEquals(7, tail.offset());
        assertEquals(BLOCK - 7, tail.bytes());
      }

      writer.flush();
      Path after = dir.resolve("after-flush.wandb");
      Files.copy(file, after);
      List<LogEntry> entries = LogFiles.readAll(after);
      assertEquals(1, entries.size());
      assertArrayEquals(payload, entries.get(0).payload());
    }
  }

  /** Checks one snapshot; returns whether it ended in a torn tail. */
  private static boolean checkSnapshot(
      Path copy, long flushed, List<byte[]> payloads, List<Long> starts, List<Long> ends)
      throws IOException {
    assertEquals(flushed, Files.size(copy), "a crash leaves what was flushed");
    int complete = 0;
    while (complete < ends.size() && ends.get(complete) <= flushed) {
      complete++;
    }
    try (LogReader reader = LogReader.open(copy)) {
      List<LogEntry> entries = LogFiles.readUntilEnd(reader);
      assertEquals(complete, entries.size(), copy + ": records");
      for (int i = 0; i < complete; i++) {
        assertEquals(starts.get(i), entries.get(i).offset());
        assertArrayEquals(payloads.get(i), entries.get(i).payload());
      }
      // torn exactly when the cut lies inside the chunks of the first incomplete record
      boolean cutInsideRecord = complete < starts.size() && starts.get(complete) < flushed;
      TornTail tail = reader.tornTail();
      if (cutInsideRecord) {
        assertNotNull(tail, copy + ": expected a torn tail");
        assertEquals(starts.get(complete), tail.offset());
        assertEquals(flushed - starts.get(complete), tail.bytes());
      } else {
        assertNull(tail, copy + ": unexpected torn tail");
      }
      return tail != null;
    }
  }
}
