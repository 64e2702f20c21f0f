package dev.runbus;

import java.nio.file.Path;
import java.util.Map;

/**
 * A program that logs and then, without finishing its run, returns from main ({@code return}),
 * calls {@code System.exit(0)} ({@code exit}) or dies of an exception ({@code throw}), right away,
 * before runbus's kernel is likely up.
 */
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
    System.out.flush();
    if (args[1].equals("exit")) {
      System.exit(0);
    }
    if (args[1].equals("throw")) {
      throw new IllegalStateException("the training diverged");
    }
  }
}
