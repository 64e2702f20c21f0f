package dev.runbus.online;

import dev.runbus.Mode;
import dev.runbus.Run;
import dev.runbus.RunResult;
import dev.runbus.Runbus;
import dev.runbus.Settings;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A training process the online ITs drive through its stdin, one command a line: {@code log N}
 * logs the next N rows as fast as it can, {@code paced RATE} logs rows at RATE per second until
 * killed (printing {@code STEP n} now and then), {@code finish CODE} sets a summary key, finishes
 * and prints the {@link RunResult} as {@code RESULT <json>}. Rows are {@link Rows#row}, so the test
 * knows every value. Args: run dir, base URL ({@code -} for offline), API key, project, run id,
 * metrics per row, finish timeout in seconds.
 */
public final class OnlineChild {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String baseUrl = args[1];
    int metrics = Integer.parseInt(args[5]);
    Settings.Builder settings =
        Settings.builder()
            .dir(dir)
            .project(args[3])
            .runId(args[4])
            .config(Map.of("lr", 0.01, "layers", 3, "optimizer", "adam"))
            .finishTimeout(Duration.ofSeconds(Long.parseLong(args[6])))
            .environment(Map.of());
    if (baseUrl.equals("-")) {
      settings.mode(Mode.OFFLINE);
    } else {
      settings.baseUrl(baseUrl).apiKey(args[2]);
    }
    long starting = System.nanoTime();
    Run run = Runbus.init(settings.build());
    System.out.println("INIT_MS " + (System.nanoTime() - starting) / 1_000_000);
    System.out.println("LOG " + run.logFile());
    System.out.println("MODE " + run.mode());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    long step = 0;
    String line;
    while ((line = in.readLine()) != null) {
      String[] command = line.trim().split(" ");
      switch (command[0]) {
        case "log" -> {
          long end = step + Long.parseLong(command[1]);
          for (; step < end; step++) {
            run.log(Rows.row(step, metrics));
          }
          System.out.println("LOGGED " + step);
        }
        case "paced" -> paced(run, step, metrics, Integer.parseInt(command[1]));
        case "finish" -> {
          run.summary().set("best_m0", Rows.value(step - 1, 0));
          long finishing = System.nanoTime();
          RunResult result = run.finish(Integer.parseInt(command[1]));
          JsonObject json =
              new JsonObject()
                  .put("mode", result.mode().toString())
                  .put("exitCode", result.exitCode())
                  .put("historyRows", result.historyRows())
                  .put("uploaded", result.uploaded())
                  .put("runUrl", result.runUrl())
                  .put("notUploaded", result.notUploaded())
                  .put("dir", result.dir().toString())
                  .put("finishMillis", (System.nanoTime() - finishing) / 1_000_000);
          System.out.println("RESULT " + json.encode());
          System.out.flush();
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown command " + line);
      }
      System.out.flush();
    }
  }

  private static void paced(Run run, long from, int metrics, int rate) throws InterruptedException {
    long start = System.nanoTime();
    for (long step = from; ; step++) {
      run.log(Rows.row(step, metrics));
      if (step % 100 == 0) {
        System.out.println("STEP " + step);
        System.out.flush();
      }
      long wait = start + (step - from) * 1_000_000_000L / rate - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
  }
}
