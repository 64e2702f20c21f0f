package dev.runbus;

import java.nio.file.Path;
import java.util.Map;

/**
 * Logs {@code rows} rows, each holding a fresh string of {@code chars} characters, as fast as it
 * can, then finishes; prints the log's path and the result.
 */
public final class BigRowsChild {

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int rows = Integer.parseInt(args[1]);
    int chars = Integer.parseInt(args[2]);
    Run run =
        Runbus.init(
            Settings.builder().dir(dir).runId("big").quiet(true).environment(Map.of()).build());
    System.out.println("LOG " + run.logFile());
    System.out.flush();
    for (int i = 0; i < rows; i++) {
      char[] text = new char[chars];
      java.util.Arrays.fill(text, (char) ('a' + i % 26));
      run.log(Map.of("payload", new String(text), "i", i));
    }
    RunResult result = run.finish();
    System.out.println("ROWS " + result.historyRows());
  }
}
