package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two threads starting runs with one id at once: one gets the run, the other the error init gives
 * when the runs start one after the other, never two runs of which one fails later.
 */
class SameRunIdRaceTest {

  private static final int ROUNDS = 40;

  @TempDir Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void ofTwoThreadsStartingOneIdAtOnceExactlyOneStarts() throws Exception {
    Runbus.init(RunLogs.quietOffline(dir.resolve("warm")).build()).finish(); // a started kernel
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        // an id per round: the run directory is named by the second, which rounds share
        String id = "same-" + round;
        Settings same = RunLogs.quietOffline(dir).runId(id).build();
        CyclicBarrier together = new CyclicBarrier(2);
        Callable<Object> init =
            () -> {
              together.await(20, TimeUnit.SECONDS);
              try {
                return Runbus.init(same);
              } catch (RunbusException e) {
                return e;
              }
            };
        List<Future<Object>> outcomes = List.of(threads.submit(init), threads.submit(init));
        List<Run> started = new ArrayList<>();
        List<RunbusException> refused = new ArrayList<>();
        for (Future<Object> outcome : outcomes) {
          Object result = outcome.get(60, TimeUnit.SECONDS);
          if (result instanceof Run run) {
            started.add(run);
          } else {
            refused.add((RunbusException) result);
          }
        }
        finishQuietly(started);
        assertEquals(1, started.size(), "runs started in round " + round);
        String message = refused.get(0).getMessage();
        assertTrue(message.contains("cannot start run " + id + ": run " + id + " is"), message);
        assertTrue(message.contains("already open in this process"), message);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anIdIsFreeAgainInThisProcessOnceItsRunFinished() throws Exception {
    // two roots: a run directory is named by the second, which the two runs may share; and two
    // kernels, since the first kernel closes the first run's stream after finish() returns
    Runbus.init(RunLogs.quietOffline(dir.resolve("a")).runId("freed").build()).finish();
    Vertx host = Vertx.vertx();
    try {
      Runbus.init(host, RunLogs.quietOffline(dir.resolve("b")).runId("freed").build()).finish();
    } finally {
      host.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A run that lost the race may fail to finish. */
  private static void finishQuietly(List<Run> runs) {
    for (Run run : runs) {
      try {
        run.finish();
      } catch (RunbusException lost) {
        // the failure the assertion after this reports
      }
    }
  }
}
