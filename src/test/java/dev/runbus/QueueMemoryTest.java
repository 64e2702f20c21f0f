package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.log.LogEntry;
import dev.runbus.log.LogReader;
import dev.runbus.proto.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What waits between {@code log()} and the disk is bounded in bytes, not only in rows: a caller
 * logging big rows faster than the disk takes them is slowed down instead of running the JVM out of
 * memory.
 */
class QueueMemoryTest {

  @TempDir Path dir;

  @Test
  void rowsOfFreshMegabyteStringsFitInASmallHeapAndAllReachTheDisk() throws Exception {
    int rows = 300;
    int chars = 1_000_000;
    Process child =
        ChildJvm.start(
            List.of("-Xmx256m"),
            BigRowsChild.class,
            dir.toString(),
            String.valueOf(rows),
            String.valueOf(chars));
    String output;
    try {
      output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child finished");
    } finally {
      child.destroyForcibly();
    }
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("ROWS " + rows), output);
    String logLine = output.lines().filter(l -> l.startsWith("LOG ")).findFirst().orElseThrow();
    // read row by row: the whole log would not fit in this test's heap as comfortably
    int row = 0;
    try (LogReader reader = LogReader.open(Path.of(logLine.substring(4)))) {
      for (LogEntry entry = reader.next(); entry != null; entry = reader.next()) {
        Record record = Record.parseFrom(entry.payload());
        if (!record.hasHistory()) {
          continue;
        }
        Map<String, String> items = RunLogs.items(record.getHistory());
        assertEquals(String.valueOf(row), items.get("i"));
        String payload = items.get("payload");
        assertEquals(chars + 2, payload.length(), "row " + row + " holds its whole string, quoted");
        assertEquals('a' + row % 26, payload.charAt(1));
        row++;
      }
      assertNull(reader.tornTail());
    }
    assertEquals(rows, row);
  }
}
