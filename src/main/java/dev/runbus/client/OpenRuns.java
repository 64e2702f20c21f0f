package dev.runbus.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The runs open in this JVM: one id is open once at a time, and runs never finished are finished
 * when the JVM exits, as W&B does at interpreter exit, with exit code 1 if the main thread died of
 * an uncaught exception ({@link MainThreadWatch}), else 0. A JVM ended by SIGTERM ({@link
 * TerminationWatch}) was preempted: each run is marked preempting, then finished with 143.
 */
final class OpenRuns {

  private static final Set<PipelineRun> OPEN = ConcurrentHashMap.newKeySet();

  /**
   * The ids taken by a run open or being started. Taken before the start sequence begins, so that
   * of two threads starting runs with one id at once exactly one gets it.
   */
  private static final Set<String> IDS = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

  /** Finished runs' ids, each freed when its stream has closed; see {@link #releaseWhenClosed}. */
  private static final Map<String, CompletableFuture<?>> CLOSING = new ConcurrentHashMap<>();

  /** How long a start waits for the stream of a finished run with the same id to close. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  private OpenRuns() {}

  /**
   * Takes the id for a run about to start: false if a run open or being started holds it. A start
   * that fails before {@link #add} gives it back with {@link #release}.
   */
  static boolean reserve(String runId) {
    CompletableFuture<?> freed = CLOSING.get(runId);
    if (freed != null) { // a run with this id just finished: its stream is being closed
      try {
        freed.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // not closed in time: the id is still taken, and the caller hears so
      }
    }
    return IDS.add(runId);
  }

  /**
   * Gives back a finished run's id once its stream is closed ({@code closed} completes, however),
   * so a run started again with that id cannot reach the kernel before the old stream is gone; a
   * start with that id meanwhile waits for it.
   */
  static void releaseWhenClosed(String runId, CompletableFuture<?> closed) {
    CompletableFuture<?> freed = closed.handle((answer, failure) -> IDS.remove(runId));
    CLOSING.put(runId, freed);
    freed.thenRun(() -> CLOSING.remove(runId, freed));
  }

  /** Gives back an id {@link #reserve}d: for a run that did not start, or whose stream closed. */
  static void release(String runId) {
    IDS.remove(runId);
  }

  /** A started run, holding the id it reserved until it is {@link #remove}d. */
  static void add(PipelineRun run) {
    OPEN.add(run);
    installExitHook();
  }

  /**
   * A run finishing: the exit no longer needs to finish it. Its id stays taken until the run's
   * stream is closed ({@link #releaseWhenClosed}).
   */
  static void remove(PipelineRun run) {
    OPEN.remove(run);
  }

  private static void installExitHook() {
    if (HOOK_INSTALLED.compareAndSet(false, true)) {
      MainThreadWatch.install();
      TerminationWatch.install();
      Runtime.getRuntime().addShutdownHook(new Thread(OpenRuns::finishAll, "runbus-exit"));
    }
  }

  /**
   * Finishes the open attached runs, as the exit hook would; for a program that returned while its
   * cluster node keeps the JVM alive (see {@link ClusterExit}).
   */
  static void finishAttachedAtExit() {
    for (PipelineRun run : new ArrayList<>(OPEN)) {
      if (run.attached() != null && run.finishesAtExit()) {
        finishAtExit(run, MainThreadWatch.exitCode());
      }
    }
  }

  private static void finishAll() {
    List<PipelineRun> open = new ArrayList<>(OPEN);
    boolean preempted = TerminationWatch.terminated();
    if (preempted) {
      // every run says so first: the server hears it at once, before any run's finish waits
      for (PipelineRun run : open) {
        if (run.finishesAtExit()) {
          markPreemptingAtExit(run);
        }
      }
    }
    for (PipelineRun run : open) {
      if (run.finishesAtExit()) {
        finishAtExit(
            run, preempted ? TerminationWatch.SIGTERM_EXIT_CODE : MainThreadWatch.exitCode());
      }
    }
  }

  private static void markPreemptingAtExit(PipelineRun run) {
    try {
      run.markPreempting();
    } catch (RuntimeException e) {
      // finished meanwhile, or its pipeline failed: the finish below says what there is to say
    }
  }

  /**
   * Finishes a run as the JVM exits. Calls the program's threads still make meanwhile are dropped
   * quietly. Why a run could not finish is said on one line, since nobody can catch it now, and
   * not again when it is the pipeline's failure, which was said when it happened.
   */
  private static void finishAtExit(PipelineRun run, int exitCode) {
    run.closingAtExit();
    try {
      run.finish(exitCode);
    } catch (RuntimeException e) {
      if (run.alreadySaid(e)) {
        return;
      }
      String why = String.valueOf(e.getMessage());
      run.console.println(
          why.startsWith("runbus: ")
              ? why
              : "runbus: could not finish run " + run.id() + " at exit: " + why);
    }
  }
}
