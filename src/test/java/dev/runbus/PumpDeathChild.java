package dev.runbus;

import java.nio.file.Path;
import java.util.Map;

/**
 * A program whose run's pipeline thread dies of an {@code OutOfMemoryError}: in a small heap it
 * logs 100 small rows, then one row whose JSON text cannot be made (the pump holds the string,
 * the text being built and its copy). It then logs until log() refuses, prints why, and either
 * calls finish() ({@code finish}) or leaves the run to the JVM's exit ({@code exit}).
 */
public final class PumpDeathChild {

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int hugeChars = Integer.parseInt(args[1]);
    Run run =
        Runbus.init(
            Settings.builder()
                .dir(dir)
                .runId("pumpdeath")
                .quiet(true)
                .environment(Map.of())
                .build());
    System.out.println("LOG " + run.logFile());
    for (int i = 0; i < 100; i++) {
      run.log(Map.of("i", i, "note", "row " + i));
    }
    run.summary().asMap(); // answered after the Handler took the 100 rows
    run.log(Map.of("huge", "x".repeat(hugeChars)));
    try {
      for (int i = 0; i < 1_000; i++) {
        run.log(Map.of("after", i));
      }
      System.out.println("LOG ACCEPTED every row");
    } catch (RunbusException e) {
      System.out.println("LOG REFUSED " + e.getMessage());
    }
    System.out.flush();
    if (args[2].equals("finish")) {
      try {
        run.finish();
        System.out.println("FINISH RETURNED");
      } catch (RunbusException e) {
        System.out.println("FINISH REFUSED " + e.getMessage());
      }
    }
  }
}
