package dev.runbus;

import java.nio.file.Path;
import java.util.Map;

/** A program that logs and returns from main without finishing its run. */
public final class UnfinishedChild {

  public static void main(String[] args) {
    Run run =
        Runbus.init(
            Settings.builder()
                .dir(Path.of(args[0]))
                .runId("unfinished")
                .quiet(true)
                .environment(Map.of())
                .build());
    for (int step = 0; step < 100; step++) {
      run.log(Map.of("loss", 1.0 / (step + 1)));
    }
    System.out.println("LOG " + run.logFile());
  }
}
