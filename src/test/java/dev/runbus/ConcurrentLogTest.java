package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** log() from several threads at once: every row lands once, at its own step, none lost. */
class ConcurrentLogTest {

  @TempDir Path dir;

  @Test
  void everyRowFromEveryThreadIsWrittenOnceInStepOrder() throws Exception {
    int threads = 4;
    int rowsEach = 5_000;
    // a small queue makes the threads contend for room as well as for order
    Run run = Runbus.init(RunLogs.quietOffline(dir).queueCapacity(64).build());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker =
          new Thread(
              () -> {
                Map<String, Object> row = new HashMap<>(); // reused: log() copies
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < rowsEach; i++) {
                  row.put("thread", id);
                  row.put("i", i);
                  run.log(row);
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    RunResult result = run.finish();

    List<Map<String, String>> rows = RunLogs.history(RunLogs.records(result.logFile()));
    assertEquals(threads * rowsEach, rows.size());
    Set<String> seen = new HashSet<>();
    int[] next = new int[threads];
    for (int step = 0; step < rows.size(); step++) {
      Map<String, String> row = rows.get(step);
      assertEquals(String.valueOf(step), row.get("_step"));
      int thread = Integer.parseInt(row.get("thread"));
      int i = Integer.parseInt(row.get("i"));
      assertEquals(next[thread]++, i, "each thread's rows stay in its own order");
      seen.add(thread + ":" + i);
    }
    assertEquals(threads * rowsEach, seen.size());
  }

  @Test
  void burstsRowsOnTheirOwnAndOtherRecordsKeepTheirOrder() throws Exception {
    Run run = Runbus.init(RunLogs.quietOffline(dir).queueCapacity(100).build());
    Map<String, Object> row = new HashMap<>();
    for (int i = 0; i < 1_000; i++) { // a burst: written into blocks on this thread
      row.put("i", i);
      run.log(row);
    }
    run.config().set("lr", 0.5); // seals the open block first
    run.log(Map.of("i", 1_000, "note", "text")); // not blockable: queued as it is
    for (int i = 1_001; i < 1_500; i++) {
      row.put("i", i);
      run.log(row);
      if (i % 100 == 0) {
        Thread.sleep(30); // the pump finds the queue idle and ships the open block
      }
    }
    run.log(Map.of("i", 1_500), false); // commit=false: queued as it is, then completed
    run.log(Map.of("j", 1));
    RunResult result = run.finish();

    List<dev.runbus.proto.Record> records = RunLogs.records(result.logFile());
    List<String> types = RunLogs.types(records);
    int config = types.lastIndexOf("config");
    assertEquals(
        1_000,
        types.subList(0, config).stream().filter("history"::equals).count(),
        "the config update lands after the 1,000 rows logged before it: " + types);
    List<Map<String, String>> rows = RunLogs.history(records);
    assertEquals(1_501, rows.size());
    for (int step = 0; step <= 1_500; step++) {
      assertEquals(String.valueOf(step), rows.get(step).get("_step"));
      assertEquals(String.valueOf(step), rows.get(step).get("i"));
    }
    assertEquals("\"text\"", rows.get(1_000).get("note"));
    assertEquals("1", rows.get(1_500).get("j"));
  }

  @Test
  void anInterruptedCallerThatNeedNotWaitLosesNothing() throws Exception {
    Run run = Runbus.init(RunLogs.quietOffline(dir).build());
    Map<String, Object> row = new HashMap<>();
    for (int i = 0; i < 600; i++) {
      row.put("i", i);
      run.log(row); // a burst: most of these sit in the open block
    }
    Thread.currentThread().interrupt();
    try {
      run.log(Map.of("note", "seals the open block")); // a string: never in a block
    } finally {
      assertTrue(Thread.interrupted(), "the caller's interrupt is left for it to see");
    }
    RunResult result = run.finish();
    assertEquals(601, result.historyRows());
    assertEquals(601, RunLogs.history(RunLogs.records(result.logFile())).size());
  }

  @Test
  void aRowLoggedWhileFinishRunsIsEitherWrittenOrRefused() throws Exception {
    for (int trial = 0; trial < 20; trial++) {
      Run run = Runbus.init(RunLogs.quietOffline(dir.resolve("trial-" + trial)).build());
      AtomicLong returned = new AtomicLong();
      CountDownLatch logging = new CountDownLatch(1);
      Thread logger =
          new Thread(
              () -> {
                Map<String, Object> row = new HashMap<>();
                for (long i = 0; ; i++) {
                  row.put("i", i);
                  try {
                    run.log(row);
                  } catch (IllegalStateException finished) {
                    return;
                  }
                  returned.incrementAndGet();
                  if (i == 100) {
                    logging.countDown();
                  }
                }
              });
      logger.start();
      logging.await();
      RunResult result = run.finish();
      logger.join();
      assertEquals(returned.get(), result.historyRows(), "trial " + trial);
    }
  }
}
