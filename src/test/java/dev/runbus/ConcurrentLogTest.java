package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
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
}
