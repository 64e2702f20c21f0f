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

/** LogReader.open(file, offset): a reader resumes at any record boundary another one reported. */
class LogReaderSeekTest {

  @TempDir Path dir;

  @Test
  void everyReportedBoundaryResumesAtTheNextRecord() throws IOException {
    Path file = dir.resolve("run.wandb");
    Random random = new Random(7);
    List<byte[]> payloads = new ArrayList<>();
    try (LogWriter writer = LogWriter.create(file)) {
      for (int i = 0; i < 300; i++) {
        // sizes from tiny to several blocks, so boundaries land in trailers and mid-block
        int size = i % 50 == 0 ? 70_000 : 1 + random.nextInt(i % 7 == 0 ? 5000 : 40);
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        payloads.add(payload);
        writer.append(payload, 0, size);
      }
    }
    List<Long> starts = new ArrayList<>();
    List<Long> positions = new ArrayList<>();
    try (LogReader reader = LogReader.open(file)) {
      for (LogEntry e; (e = reader.next()) != null; ) {
        starts.add(e.offset());
        positions.add(reader.position());
      }
    }
    assertEquals(payloads.size(), starts.size());
    for (int i = 0; i < payloads.size(); i++) {
      try (LogReader fromStart = LogReader.open(file, starts.get(i))) {
        LogEntry e = fromStart.next();
        assertEquals(starts.get(i), e.offset());
        assertArrayEquals(payloads.get(i), e.payload());
      }
      try (LogReader after = LogReader.open(file, positions.get(i))) {
        LogEntry e = after.next();
        if (i + 1 < payloads.size()) {
          assertEquals(starts.get(i + 1), e.offset());
          assertArrayEquals(payloads.get(i + 1), e.payload());
        } else {
          assertNull(e);
          assertNull(after.tornTail());
        }
      }
    }
  }

  @Test
  void anOffsetInsideTheHeaderOrPastTheEndIsRefused() throws IOException {
    Path file = dir.resolve("run.wandb");
    try (LogWriter writer = LogWriter.create(file)) {
      writer.append(new byte[] {1, 2, 3}, 0, 3);
    }
    long size = Files.size(file);
    assertThrows(LogFormatException.class, () -> LogReader.open(file, 3));
    assertThrows(LogFormatException.class, () -> LogReader.open(file, size + 1));
    try (LogReader atEnd = LogReader.open(file, size)) {
      assertNull(atEnd.next());
    }
  }
}
