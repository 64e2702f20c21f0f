package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One Settings may start many runs: each draws its own id at init unless one was set. */
class RunIdTest {

  @TempDir Path dir;

  @Test
  void theSameSettingsStartTwoRunsInARowWithTwoIds() throws Exception {
    Settings reused = RunLogs.quietOffline(dir).build(); // a constant, or a sweep's settings
    RunResult first = loggedRun(reused, 5);
    RunResult second = loggedRun(reused, 7);

    assertNotEquals(first.runId(), second.runId());
    assertNotEquals(first.dir(), second.dir());
    assertTrue(first.runId().matches("[a-z0-9]{8}"), first.runId());
    assertEquals(5, RunLogs.history(RunLogs.records(first.logFile())).size());
    assertEquals(7, RunLogs.history(RunLogs.records(second.logFile())).size());
    assertEquals("", reused.runId(), "the settings themselves stay without an id");
  }

  @Test
  void theSameSettingsStartTwoRunsAtOnceWithTwoIds() throws Exception {
    Settings reused = RunLogs.quietOffline(dir).build();
    Run a = Runbus.init(reused);
    Run b = Runbus.init(reused);
    assertNotEquals(a.id(), b.id());
    for (int i = 0; i < 4; i++) {
      a.log(Map.of("a", i));
      b.log(Map.of("b", i));
    }
    List<Map<String, String>> rowsA = RunLogs.history(RunLogs.records(a.finish().logFile()));
    List<Map<String, String>> rowsB = RunLogs.history(RunLogs.records(b.finish().logFile()));
    assertEquals(4, rowsA.size());
    assertEquals(4, rowsB.size());
    assertTrue(rowsA.stream().allMatch(row -> row.containsKey("a") && !row.containsKey("b")));
    assertTrue(rowsB.stream().allMatch(row -> row.containsKey("b") && !row.containsKey("a")));
  }

  @Test
  void twoThreadsStartRunsFromTheSameSettingsAtOnce() throws Exception {
    Settings reused = RunLogs.quietOffline(dir).build();
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.Callable<RunResult> body =
          () -> {
            together.await(20, java.util.concurrent.TimeUnit.SECONDS);
            return loggedRun(reused, 3);
          };
      var a = threads.submit(body);
      var b = threads.submit(body);
      RunResult first = a.get(60, java.util.concurrent.TimeUnit.SECONDS);
      RunResult second = b.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertNotEquals(first.runId(), second.runId());
      assertEquals(3, RunLogs.history(RunLogs.records(first.logFile())).size());
      assertEquals(3, RunLogs.history(RunLogs.records(second.logFile())).size());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void runbusRunDrawsAnIdPerRunToo() {
    Settings reused = RunLogs.quietOffline(dir).build();
    RunResult first = Runbus.run(reused, run -> run.log(Map.of("x", 1)));
    RunResult second = Runbus.run(reused, run -> run.log(Map.of("x", 1)));
    assertNotEquals(first.runId(), second.runId());
  }

  @Test
  void disabledRunsDrawAnIdPerRun() {
    Settings disabled = Settings.builder().mode(Mode.DISABLED).environment(Map.of()).build();
    Run a = Runbus.init(disabled);
    Run b = Runbus.init(disabled);
    assertTrue(a.id().matches("[a-z0-9]{8}"), a.id());
    assertNotEquals(a.id(), b.id());
    assertEquals(a.id(), a.finish().runId());
  }

  @Test
  void anIdSetOnTheBuilderIsKept() throws Exception {
    Settings fixed = RunLogs.quietOffline(dir).runId("fixed-1").build();
    assertEquals("fixed-1", fixed.runId());
    RunResult result = loggedRun(fixed, 2);
    assertEquals("fixed-1", result.runId());
    assertTrue(
        result.logFile().getFileName().toString().contains("fixed-1"), result.logFile().toString());
  }

  @Test
  void anIdFromWandbRunIdIsKept() {
    Settings fromEnv =
        Settings.builder()
            .dir(dir)
            .quiet(true)
            .environment(Map.of("WANDB_MODE", "offline", "WANDB_RUN_ID", "env-7"))
            .build();
    assertEquals("env-7", fromEnv.runId());
    try (Run run = Runbus.init(fromEnv)) {
      assertEquals("env-7", run.id());
    }
  }

  private static RunResult loggedRun(Settings settings, int rows) {
    Run run = Runbus.init(settings);
    for (int i = 0; i < rows; i++) {
      run.log(Map.of("x", i));
    }
    RunResult result = run.finish();
    assertEquals(run.id(), result.runId());
    return result;
  }
}
