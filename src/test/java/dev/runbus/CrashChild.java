package dev.runbus;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A training process that will be killed: logs paced rows forever and prints each step it logged,
 * so the test knows what it had handed over.
 */
public final class CrashChild {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rate = Integer.parseInt(args[1]);
    Run run =
        Runbus.init(
            Settings.builder().dir(dir).runId("crash").quiet(true).environment(Map.of()).build());
    System.out.println("LOG " + run.logFile());
    System.out.flush();
    long reportEvery = rate >= 100 ? 100 : 1; // a slow run reports every row
    Map<String, Object> row = new HashMap<>();
    long start = System.nanoTime();
    for (long step = 0; ; step++) {
      row.put("loss", 1.0 / (step + 1));
      row.put("payload", "x".repeat(200)); // bigger rows cross block boundaries often
      run.log(row);
      if (step % reportEvery == 0) {
        System.out.println("STEP " + step);
        System.out.flush();
      }
      long due = start + step * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
  }
}
