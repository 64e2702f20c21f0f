package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.log.LogEntry;
import dev.runbus.log.LogReader;
import dev.runbus.log.TornTail;
import dev.runbus.proto.Record;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child JVM logs continuously and is killed with SIGKILL. Whatever reached the OS survives:
 * every record up to the last flush reads back intact, numbered without gaps, and a record cut in
 * half is reported as a torn tail instead of as corruption.
 */
class CrashSafetyTest {

  private static final int RATE = 2000;

  @TempDir Path dir;

  @Test
  void sigkillLosesAtMostTheLastFlushInterval() throws Exception {
    Process child = ChildJvm.start(CrashChild.class, dir.toString(), String.valueOf(RATE));
    long killedAt = 0;
    Path log = null;
    long lastReported = -1;
    // when each step was reported, on this clock: the child may log in bursts after a stall, so
    // "a second of data" is measured in time here, not in steps
    List<long[]> reported = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("LOG ")) {
          log = Path.of(line.substring(4));
        } else if (line.startsWith("STEP ")) {
          lastReported = Long.parseLong(line.substring(5));
          reported.add(new long[] {lastReported, System.nanoTime()});
          if (lastReported >= 3 * RATE) { // three seconds of logging, several flushes
            break;
          }
        }
      }
      // SIGKILL: no shutdown hook, no finish, no flush
      killedAt = System.nanoTime();
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    assertTrue(log != null && Files.exists(log), "the child reported its log");

    List<Record> records = new ArrayList<>();
    TornTail torn;
    try (LogReader reader = LogReader.open(log)) {
      LogEntry entry;
      while ((entry = reader.next()) != null) {
        records.add(Record.parseFrom(entry.payload()));
      }
      torn = reader.tornTail();
    }
    for (int i = 0; i < records.size(); i++) {
      assertEquals(i + 1, records.get(i).getNum(), "no gap and no damage before the end");
    }
    List<Long> steps = new ArrayList<>();
    for (Record r : records) {
      if (r.hasHistory()) {
        steps.add(r.getHistory().getStep().getNum());
      }
    }
    for (int i = 0; i < steps.size(); i++) {
      assertEquals(i, steps.get(i).longValue(), "history rows are contiguous from step 0");
    }
    long lastOnDisk = steps.isEmpty() ? -1 : steps.get(steps.size() - 1);
    // flushed at least every second: what was logged more than 2 s before the kill is on disk
    // (generous for a loaded 2-core CI machine; the flush interval itself is one second)
    long mustBeOnDisk = -1;
    for (long[] stepAt : reported) {
      if (killedAt - stepAt[1] > TimeUnit.SECONDS.toNanos(2)) {
        mustBeOnDisk = stepAt[0];
      }
    }
    assertTrue(
        lastOnDisk >= mustBeOnDisk,
        "on disk through step "
            + lastOnDisk
            + "; the child had logged step "
            + mustBeOnDisk
            + " more than 2 s before it was killed (and "
            + lastReported
            + " in all)");
    if (torn != null) {
      assertTrue(torn.offset() >= 7 && torn.offset() < Files.size(log), torn.toString());
    }
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aRunKilledInItsFirstSecondLeavesItsRunConfigAndFirstRows() throws Exception {
    Process child = ChildJvm.start(FreshRunChild.class, dir.toString(), "3");
    Path log = null;
    long written = -1; // records the Writer reported
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (written < 0 && (line = out.readLine()) != null) {
        if (line.startsWith("LOG ")) {
          log = Path.of(line.substring(4));
        } else if (line.startsWith("WRITTEN ")) {
          written = Long.parseLong(line.substring(8));
        }
      }
      child.destroyForcibly(); // long before its first flush tick
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    assertTrue(written > 0 && log != null, "the child did not report its log and progress");

    // the Writer reported all three rows written; its flush tick was a minute away
    List<Record> records = RunLogs.records(log);
    List<String> types = RunLogs.types(records);
    Record run = records.stream().filter(Record::hasRun).findFirst().orElseThrow(
        () -> new AssertionError("no run record; the log holds " + types));
    assertTrue(
        run.getRun().getConfig().getUpdateList().stream().anyMatch(c -> c.getKey().equals("lr")),
        run.toString());
    List<Map<String, String>> rows = RunLogs.history(records);
    assertTrue(!rows.isEmpty(), "no row; the log holds " + types);
    assertEquals("0", rows.get(0).get("_step"), "the first row is the run's first");
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSlowRunKilledLosesAboutTheLastSecond() throws Exception {
    // 10 rows a second: a 32 KiB block would take half a minute to fill, so only the flush tick
    // can have handed the later rows to the OS
    Process child = ChildJvm.start(CrashChild.class, dir.toString(), "10");
    Path log = null;
    long killedAtMillis;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("LOG ")) {
          log = Path.of(line.substring(4));
        } else if (line.equals("STEP 50")) { // about five seconds of logging
          break;
        }
      }
      killedAtMillis = System.currentTimeMillis();
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    assertTrue(log != null && Files.exists(log), "the child reported its log");

    List<Map<String, String>> rows = new ArrayList<>();
    try (LogReader reader = LogReader.open(log)) {
      LogEntry entry;
      while ((entry = reader.next()) != null) {
        Record record = Record.parseFrom(entry.payload());
        if (record.hasHistory()) {
          rows.add(RunLogs.items(record.getHistory()));
        }
      }
    }
    assertTrue(!rows.isEmpty(), "no row reached the log");
    double newest = Double.parseDouble(rows.get(rows.size() - 1).get("_timestamp"));
    double lostSeconds = killedAtMillis / 1000.0 - newest;
    // one flush interval (a second), plus a margin for a loaded machine's scheduling
    assertTrue(
        lostSeconds <= 2.5,
        "the newest row on disk was logged "
            + lostSeconds
            + " s before the kill ("
            + rows.size()
            + " rows on disk)");
  }
}
