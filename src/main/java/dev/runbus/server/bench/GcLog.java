package dev.runbus.server.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a child JVM's {@code -Xlog:gc} file: the heap in use right after each collection is what
 * the server really keeps; its peak over a long ingest says whether the heap stays flat.
 */
public final class GcLog {
  // "... Pause Young (Normal) (G1 Evacuation Pause) 120M->31M(256M) 3.210ms"
  private static final Pattern PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private GcLog() {}

  public record Heap(long collections, long peakAfterGcMb, long peakBeforeGcMb, long maxCommittedMb) {}

  static Heap read(Path gcLog) {
    long collections = 0;
    long peakAfter = 0;
    long peakBefore = 0;
    long committed = 0;
    try {
      if (!Files.exists(gcLog)) {
        return new Heap(0, 0, 0, 0);
      }
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = PAUSE.matcher(line);
        if (m.find()) {
          collections++;
          peakBefore = Math.max(peakBefore, Long.parseLong(m.group(1)));
          peakAfter = Math.max(peakAfter, Long.parseLong(m.group(2)));
          committed = Math.max(committed, Long.parseLong(m.group(3)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + gcLog, e);
    }
    return new Heap(collections, peakAfter, peakBefore, committed);
  }
}
