package dev.runbus.console;

import dev.runbus.Run;
import dev.runbus.Runbus;
import dev.runbus.Settings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A program that prints while runs capture its console, for {@link ConsoleCaptureTest}. Its real
 * stdout and stderr go to files the test reads; what the test needs to find the runs goes to
 * {@code args[1]}, one {@code key value} per line, written once the console is its own again.
 *
 * <p>Modes: {@code threads} (8 threads, 100,000 lines, progress bars, two threads on stderr),
 * {@code finish} (a thread prints on while the run finishes), {@code hook} (a shutdown hook
 * prints while the JVM's exit finishes the run), {@code overlap} and {@code overlap-outer-first}
 * (two runs open at once), {@code off} (WANDB_CONSOLE=off).
 */
public final class ConsoleChild {

  static final int THREADS = 8;
  static final int LINES = 100_000;
  static final int FINISH_LINES = 100_000;
  static final int HOOK_LINES = 20_000;

  private static final List<String> info = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path infoFile = Path.of(args[1]);
    String mode = args[2];
    PrintStream out = System.out;
    PrintStream err = System.err;
    switch (mode) {
      case "threads" -> threads(dir);
      case "finish" -> finishWhilePrinting(dir);
      case "hook" -> {
        hook(dir, infoFile);
        return; // the JVM's exit finishes the run; the info is written already
      }
      case "overlap" -> overlap(dir, false);
      case "overlap-outer-first" -> overlap(dir, true);
      case "off" -> off(dir);
      default -> throw new IllegalArgumentException(mode);
    }
    info.add("restored " + (System.out == out && System.err == err));
    Files.write(infoFile, info);
  }

  private static Settings.Builder settings(Path dir, String runId) {
    return Settings.builder().dir(dir).runId(runId).quiet(true).environment(Map.of());
  }

  private static void remember(String name, Run run) {
    info.add(name + "-log " + run.logFile());
    info.add(name + "-dir " + run.dir());
  }

  /** Lines {@code T<t> L<i>}; threads 0 and 1 draw a progress bar before every 50th line. */
  private static void threads(Path dir) throws InterruptedException {
    Run run = Runbus.init(settings(dir, "threads").build());
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread printer =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < LINES / THREADS; i++) {
                  if (thread < 2 && i % 50 == 0) {
                    for (int p = 0; p <= 100; p += 25) {
                      System.out.print("\rT" + thread + " bar " + p + "%");
                    }
                    System.out.println("\rT" + thread + " L" + i);
                  } else if (thread >= 6) {
                    System.err.println("T" + thread + " L" + i);
                  } else {
                    System.out.println("T" + thread + " L" + i);
                  }
                }
              },
              "printer-" + t);
      printer.start();
      threads.add(printer);
    }
    go.countDown();
    for (Thread printer : threads) {
      printer.join();
    }
    run.finish();
    remember("run", run);
  }

  /** {@code F<i>} from another thread, before, during and after the finish. */
  private static void finishWhilePrinting(Path dir) throws InterruptedException {
    Run run = Runbus.init(settings(dir, "finishing").build());
    CountDownLatch printing = new CountDownLatch(1);
    Thread printer =
        new Thread(
            () -> {
              for (int i = 0; i < FINISH_LINES; i++) {
                System.out.println("F" + i);
                if (i == 1000) {
                  printing.countDown();
                }
              }
            },
            "printer");
    printer.start();
    printing.await();
    run.finish();
    printer.join();
    remember("run", run);
  }

  /** {@code M<i>} from main, then {@code H<i>} from a shutdown hook while the run is open. */
  private static void hook(Path dir, Path infoFile) throws Exception {
    Run run = Runbus.init(settings(dir, "hooked").build());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (int i = 0; i < HOOK_LINES; i++) {
                    System.out.println("H" + i);
                  }
                },
                "printing-hook"));
    for (int i = 0; i < 1000; i++) {
      System.out.println("M" + i);
    }
    remember("run", run);
    Files.write(infoFile, info);
  }

  /** Runs A and B open at once; B started last. */
  private static void overlap(Path dir, boolean outerFinishesFirst) {
    Run a = Runbus.init(settings(dir, "outer").build());
    System.out.println("A1");
    Run b = Runbus.init(settings(dir, "inner").build());
    System.out.println("B1");
    System.err.println("B2");
    System.out.print("B4 unfinished"); // no line break: the stop ends the line, in the run it was printed for
    if (outerFinishesFirst) {
      a.finish();
      System.out.println("B3");
      b.finish();
    } else {
      b.finish();
      System.out.println("A2");
      a.finish();
    }
    System.out.println("after both");
    remember("outer", a);
    remember("inner", b);
  }

  private static void off(Path dir) {
    PrintStream out = System.out;
    Run run =
        Runbus.init(
            Settings.builder()
                .dir(dir)
                .runId("quiet-console")
                .quiet(true)
                .environment(Map.of("WANDB_CONSOLE", "off"))
                .build());
    System.out.println("not captured");
    info.add("untouched " + (System.out == out));
    run.finish();
    remember("run", run);
  }
}
