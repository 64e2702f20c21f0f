package dev.runbus.console;

import io.vertx.core.Context;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Which runs capture this JVM's console, and the two streams that do it. The first run to capture
 * puts a {@link CapturingPrintStream} in place of {@code System.out} and {@code System.err}; the
 * last to stop puts the originals back (unless the program has replaced them meanwhile: its
 * streams are left alone, and ours only pass through from then on).
 *
 * <p>Two runs open at once: a line belongs to the <em>active</em> run, the one that started last
 * and is still capturing, when the line ends. When it stops, the run started before it is active
 * again. So nested runs (an evaluation run inside a training run) each get the lines printed while
 * they were the innermost, and no line goes to two runs.
 */
public final class ConsoleCapture {

  private static final Object LOCK = new Object();
  private static CapturingPrintStream out;
  private static CapturingPrintStream err;
  /** Capturing runs in the order they started; the last is the active one. */
  private static final List<RunConsole> RUNS = new ArrayList<>();

  private static volatile RunConsole active;

  private ConsoleCapture() {}

  /** The run that gets the lines finished now, or null. */
  static RunConsole active() {
    return active;
  }

  static void start(RunConsole run) {
    synchronized (LOCK) {
      if (out == null) {
        out = new CapturingPrintStream(System.out, false);
        err = new CapturingPrintStream(System.err, true);
        System.setOut(out);
        System.setErr(err);
      }
      synchronized (out.captureLock) {
        synchronized (err.captureLock) {
          RUNS.add(run);
          active = run;
        }
      }
    }
  }

  /**
   * Takes {@code run} out of the capture and gives it the lines that were still unfinished when
   * it was the active run; returns once every line handed to it is offered.
   */
  static void stop(RunConsole run) {
    List<String> outLines = List.of();
    List<String> errLines = List.of();
    synchronized (LOCK) {
      if (!RUNS.contains(run)) {
        return;
      }
      synchronized (out.captureLock) {
        synchronized (err.captureLock) {
          if (active == run) {
            outLines = out.takeUnfinished();
            errLines = err.takeUnfinished();
          }
          RUNS.remove(run);
          active = RUNS.isEmpty() ? null : RUNS.get(RUNS.size() - 1);
        }
      }
      if (RUNS.isEmpty()) {
        restore();
      }
    }
    run.awaitNoneInFlight(); // a line a printer took for this run just before the switch
    for (String line : outLines) {
      run.offer(false, line, false);
    }
    for (String line : errLines) {
      run.offer(true, line, false);
    }
  }

  private static void restore() {
    out.capturing = false;
    err.capturing = false;
    if (System.out == out) {
      System.setOut(out.original());
    }
    if (System.err == err) {
      System.setErr(err.original());
    }
    out = null;
    err = null;
  }

  /**
   * The stream under our capture, for runbus's own messages: they are not the program's output,
   * and a message printed while runbus holds one of its own locks must never wait for the run.
   */
  public static PrintStream uncaptured(PrintStream stream) {
    PrintStream s = stream;
    while (s instanceof CapturingPrintStream capturing) {
      s = capturing.original();
    }
    return s;
  }

  /**
   * Whether the printing thread may wait for room: never runbus's own threads (the run's queue may
   * be waiting for them) nor Vert.x's (an event loop must not block).
   */
  static boolean mayWait() {
    return !Thread.currentThread().getName().startsWith("runbus-") && !Context.isOnVertxThread();
  }
}
