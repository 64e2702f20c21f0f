package dev.runbus.cli;

import dev.runbus.Run;
import dev.runbus.RunResult;
import dev.runbus.Runbus;
import java.util.HashMap;
import java.util.Map;

/**
 * One rank of {@code bench --mode cluster}, in a JVM of its own: attaches as the environment says,
 * logs {@code rows} rows of {@code metrics} floats as fast as it can, finishes, and prints one JSON
 * line: how long the attach took (init to the service's answer, the cluster join included), the
 * rows per second of the log loop and of the whole run, and when its loop began and its finish
 * ended (epoch milliseconds, to add the ranks up).
 *
 * <p>Arguments: rows metrics.
 */
public final class RankBench {

  private RankBench() {}

  public static void main(String[] args) {
    long rows = Long.parseLong(args[0]);
    int metrics = Integer.parseInt(args[1]);
    String[] keys = new String[metrics];
    for (int k = 0; k < metrics; k++) {
      keys[k] = "metric_" + k;
    }
    long initStart = System.nanoTime();
    Run run = Runbus.init();
    run.dir(); // waits until the service answered the attach
    long attachNanos = System.nanoTime() - initStart;
    Map<String, Object> row = new HashMap<>();
    long startMillis = System.currentTimeMillis();
    long loopStart = System.nanoTime();
    for (long i = 0; i < rows; i++) {
      for (int k = 0; k < metrics; k++) {
        row.put(keys[k], (float) (Math.sin(i * 0.001 + k) + k));
      }
      run.log(row);
    }
    long loopNanos = System.nanoTime() - loopStart;
    RunResult result = run.finish(0);
    long totalNanos = System.nanoTime() - loopStart;
    System.out.println(
        "{\"attach_ms\":"
            + Math.round(attachNanos / 1e6)
            + ",\"log_rows_per_s\":"
            + Math.round(rows / (loopNanos / 1e9))
            + ",\"total_rows_per_s\":"
            + Math.round(rows / (totalNanos / 1e9))
            + ",\"start_epoch_ms\":"
            + startMillis
            + ",\"end_epoch_ms\":"
            + System.currentTimeMillis()
            + ",\"history_rows\":"
            + result.historyRows()
            + ",\"log\":\""
            + result.logFile().toString().replace("\\", "\\\\").replace("\"", "\\\"")
            + "\"}");
    System.out.flush();
  }
}
