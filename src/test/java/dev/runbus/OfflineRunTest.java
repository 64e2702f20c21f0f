package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.PipelineProgress;
import dev.runbus.proto.Record;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole offline run through the embedded kernel, read back from disk. */
class OfflineRunTest {

  @TempDir Path dir;

  @Test
  void aRunWritesAnOrderedCompleteLog() throws Exception {
    Run run =
        Runbus.init(
            RunLogs.quietOffline(dir)
                .runId("abc123")
                .project("proj")
                .config(Map.of("lr", 0.01, "layers", List.of(64, 32)))
                .build());
    Map<String, Object> row = new LinkedHashMap<>();
    for (int step = 0; step < 100; step++) {
      row.put("loss", 1.0 / (step + 1));
      row.put("acc", (float) step / 100);
      run.log(row); // the same map every time: log() copies
    }
    run.config().set("optimizer", "adam");
    run.summary().set("best", 7);
    RunResult result = run.finish();

    assertEquals("abc123", result.runId());
    assertEquals(100, result.historyRows());
    assertEquals(0, result.droppedRows());
    assertTrue(
        result.dir().getFileName().toString().matches("offline-run-\\d{8}_\\d{6}-abc123"),
        result.dir().toString());
    assertEquals(result.dir().resolve("run-abc123.wandb"), result.logFile());

    List<Record> records = RunLogs.records(result.logFile());
    List<String> types = RunLogs.types(records);
    assertEquals(List.of("header", "run"), types.subList(0, 2));
    assertEquals(
        List.of("exit", "summary", "final", "footer"),
        types.subList(types.size() - 4, types.size()));
    for (int i = 0; i < records.size(); i++) {
      assertEquals(i + 1, records.get(i).getNum(), "num is 1..n");
    }
    List<Map<String, String>> history = RunLogs.history(records);
    assertEquals(100, history.size());
    for (int step = 0; step < 100; step++) {
      Map<String, String> r = history.get(step);
      assertEquals(String.valueOf(step), r.get("_step"));
      assertEquals(1.0 / (step + 1), Double.parseDouble(r.get("loss")));
      assertTrue(r.containsKey("_timestamp") && r.containsKey("_runtime"), r.toString());
    }
    assertEquals("0.99", history.get(99).get("acc"), "floats keep their own shortest form");

    Record run0 = records.get(1);
    assertEquals("proj", run0.getRun().getProject());
    assertEquals(2, run0.getRun().getConfig().getUpdateCount());

    Path files = result.dir().resolve("files");
    String config = Files.readString(files.resolve("config.yaml"));
    assertTrue(config.startsWith("wandb_version: 1"), config);
    assertTrue(config.contains("optimizer:") && config.contains("value: adam"), config);
    String summary = Files.readString(files.resolve("wandb-summary.json"));
    assertTrue(summary.contains("\"best\": 7") && summary.contains("\"loss\": 0.01"), summary);
    assertTrue(Files.readString(files.resolve("wandb-metadata.json")).contains("\"startedAt\""));
    assertEquals(
        result.dir().getFileName(), Files.readSymbolicLink(dir.resolve("wandb/latest-run")));

    assertEquals(7L, ((Number) result.summary().get("best")).longValue());
    assertEquals(0.01, ((Number) result.summary().get("loss")).doubleValue());
    assertEquals(100, result.history().get("loss").length);
  }

  @Test
  void finishIsIdempotentAndLogAfterFinishIsRefused() throws Exception {
    Run run = Runbus.init(RunLogs.quietOffline(dir).build());
    run.log(Map.of("x", 1));
    RunResult first = run.finish();
    assertSame(first, run.finish(3));
    assertTrue(run.isFinished());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> run.log(Map.of("x", 2)));
    assertTrue(e.getMessage().contains("already finished"), e.getMessage());
  }

  @Test
  void commitFalseAndExplicitStepsFollowWandb() throws Exception {
    Run run = Runbus.init(RunLogs.quietOffline(dir).build());
    run.log(Map.of("a", 1), false);
    run.log(Map.of("b", 2)); // one row {a, b} at step 0
    run.log(Map.of("c", 3), 5); // row at 5 stays open
    run.log(Map.of("d", 4)); // joins it, commits; next is 6
    run.log(Map.of("e", 5), 3); // lower: dropped
    run.log(Map.of("g", 7), -1); // lower than any step: dropped too
    run.log(Map.of("f", 6)); // step 6
    assertEquals(7, run.step());
    RunResult result = run.finish();
    List<Map<String, String>> rows = RunLogs.history(RunLogs.records(result.logFile()));
    List<String> shapes = new ArrayList<>();
    for (Map<String, String> r : rows) {
      List<String> keys = new ArrayList<>(r.keySet());
      keys.removeIf(k -> k.startsWith("_"));
      shapes.add(r.get("_step") + ":" + keys);
    }
    assertEquals(List.of("0:[a, b]", "5:[c, d]", "6:[f]"), shapes);
    assertEquals(2, result.droppedRows());
    assertEquals(3, result.historyRows());
  }

  @Test
  void strictStepsThrowsOnTheCallersThread() throws Exception {
    Run run = Runbus.init(RunLogs.quietOffline(dir).strictSteps(true).build());
    run.log(Map.of("a", 1), 10);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> run.log(Map.of("a", 2), 9));
    assertTrue(e.getMessage().contains("step 9 is lower than the current step 10"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run.log(Map.of("a", 2), -1));
    assertTrue(e.getMessage().contains("step -1 is lower than the current step 10"), e.getMessage());
    run.log(Map.of("a", 3), 11);
    RunResult result = run.finish();
    assertEquals(0, result.droppedRows());
    assertEquals(2, result.historyRows());
  }

  @Test
  void severalRunsAtOnceInOneJvmKeepTheirRowsApart() throws Exception {
    Run a = Runbus.init(RunLogs.quietOffline(dir).runId("sweep-a").build());
    Run b = Runbus.init(RunLogs.quietOffline(dir).runId("sweep-b").build());
    for (int i = 0; i < 50; i++) {
      a.log(Map.of("loss", i));
      b.log(Map.of("loss", -i));
    }
    RunResult ra = a.finish();
    RunResult rb = b.finish();
    assertEquals(50, RunLogs.history(RunLogs.records(ra.logFile())).size());
    assertEquals("49", RunLogs.history(RunLogs.records(ra.logFile())).get(49).get("loss"));
    assertEquals(50, RunLogs.history(RunLogs.records(rb.logFile())).size());
    assertEquals("-49", RunLogs.history(RunLogs.records(rb.logFile())).get(49).get("loss"));
    assertFalse(ra.logFile().equals(rb.logFile()));
  }

  @Test
  void aRunIdCannotBeOpenedTwiceAtOnce() throws Exception {
    try (Run first = Runbus.init(RunLogs.quietOffline(dir).runId("twice").build())) {
      RunbusException e =
          assertThrows(
              RunbusException.class,
              () -> Runbus.init(RunLogs.quietOffline(dir.resolve("other")).runId("twice").build()));
      assertTrue(e.getMessage().contains("already open"), e.getMessage());
      first.log(Map.of("x", 1));
    }
  }

  @Test
  void runHelperFinishesWithOneAndRethrowsWhenTheBodyThrows() throws Exception {
    Path[] log = new Path[1];
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                Runbus.run(
                    RunLogs.quietOffline(dir).build(),
                    run -> {
                      log[0] = run.logFile();
                      run.log(Map.of("x", 1));
                      throw new IllegalStateException("diverged");
                    }));
    assertEquals("diverged", thrown.getMessage());
    Record exit =
        RunLogs.records(log[0]).stream().filter(Record::hasExit).findFirst().orElseThrow();
    assertEquals(1, exit.getExit().getExitCode());

    RunResult ok = Runbus.run(RunLogs.quietOffline(dir).build(), run -> run.log(Map.of("x", 1)));
    assertEquals(0, ok.exitCode());
  }

  @Test
  void tryWithResourcesFinishesWithZero() throws Exception {
    Path log;
    try (Run run = Runbus.init(RunLogs.quietOffline(dir).build())) {
      run.log(Map.of("x", 1));
      log = run.logFile();
    }
    Record exit = RunLogs.records(log).stream().filter(Record::hasExit).findFirst().orElseThrow();
    assertEquals(0, exit.getExit().getExitCode());
  }

  @Test
  void aBadConfigAtInitFailsBeforeAnythingOfTheRunExists() throws Exception {
    Settings bad = RunLogs.quietOffline(dir).runId("cfg").config(Map.of("x", new Object())).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runbus.init(bad));
    assertTrue(e.getMessage().contains("\"x\""), e.getMessage());
    assertFalse(Files.exists(dir.resolve("wandb")), "no run directory was made");

    // nothing of the failed attempt holds the id: the same run starts with a good config
    RunResult result = Runbus.init(RunLogs.quietOffline(dir).runId("cfg").build()).finish();
    assertEquals("cfg", result.runId());
  }

  @Test
  void metricDefinitionsReachTheLogTheSummaryAndConfigYaml() throws Exception {
    Run run = Runbus.init(RunLogs.quietOffline(dir).build());
    run.defineMetric(MetricDefinition.of("epoch"));
    run.defineMetric(MetricDefinition.of("val/acc").stepMetric("epoch").summary("max"));
    for (int epoch = 0; epoch < 5; epoch++) {
      run.log(Map.of("epoch", epoch, "val/acc", 0.5 + epoch * 0.1));
    }
    RunResult result = run.finish();

    List<String> defined =
        RunLogs.records(result.logFile()).stream()
            .filter(Record::hasMetric)
            .map(r -> r.getMetric().getName())
            .toList();
    assertEquals(List.of("epoch", "val/acc"), defined);
    assertEquals(Map.of("max", 0.9), result.summary().get("val/acc"));
    // W&B's UI picks each chart's x-axis from config._wandb.m: "5" is 1 + the step metric's index,
    // "6" the options set (step_sync, defined), "7" the summary flags (max)
    String config = Files.readString(result.dir().resolve("files/config.yaml"));
    assertTrue(
        config.endsWith(
            String.join(
                "\n",
                "    m:",
                "    - \"1\": epoch",
                "      \"6\":",
                "      - 3",
                "    - \"1\": val/acc",
                "      \"5\": 1",
                "      \"6\":",
                "      - 1",
                "      - 3",
                "      \"7\":",
                "      - 2",
                "")),
        config);
  }

  @Test
  void configAndSummaryReadBackWhatWasSet() throws Exception {
    Run run = Runbus.init(RunLogs.quietOffline(dir).config(Map.of("lr", 0.01)).build());
    run.config().update(Map.of("layers", List.of(64, 32)));
    run.config().set("optimizer", Map.of("name", "adam"));
    assertEquals(0.01, run.config().get("lr"));
    assertEquals(List.of(64L, 32L), run.config().get("layers"));
    assertEquals(Map.of("name", "adam"), run.config().get("optimizer"));
    assertEquals(List.of("lr", "layers", "optimizer"), List.copyOf(run.config().asMap().keySet()));

    run.log(Map.of("loss", 0.5));
    run.summary().set("best", 7);
    Map<String, Object> summary = run.summary().asMap();
    assertEquals(0.5, summary.get("loss"));
    assertEquals(7L, summary.get("best"));
    run.summary().remove("best");
    assertFalse(run.summary().asMap().containsKey("best"));
    run.finish();
  }

  /**
   * What each policy forces, seen in the Writer's own counters (a force leaves no trace in the
   * file): AT_FINISH forces once the last record is written and not before, INTERVAL also while
   * the run goes on, NONE never. Each run lives through several flush ticks, so INTERVAL has had
   * its chances and the others theirs to force too early.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(FsyncPolicy.class)
  void eachFsyncPolicyForcesTheLogWhenItSays(FsyncPolicy policy) throws Exception {
    Vertx host = Vertx.vertx();
    try {
      WriterProgress writer = WriterProgress.watch(host);
      Run run =
          Runbus.init(
              host,
              RunLogs.quietOffline(dir)
                  .fsync(policy)
                  .fsyncInterval(Duration.ofMillis(20))
                  .flushInterval(Duration.ofMillis(50))
                  .build());
      int rows = 0;
      long handedOver = 0;
      int ticks = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (ticks < 4 && System.nanoTime() < deadline) {
        run.log(Map.of("i", rows++));
        long before = handedOver;
        // a batch's answer tells what the ticks before it handed to the OS
        PipelineProgress tick =
            writer.poll(p -> p.getBytesFlushed() > before, Duration.ofMillis(20));
        if (tick != null) {
          handedOver = tick.getBytesFlushed();
          ticks++;
        }
      }
      assertEquals(4, ticks, "the run lived through several flush ticks");
      long forcedDuringRun =
          writer.seen().stream().mapToLong(PipelineProgress::getLogSyncs).max().orElseThrow();
      RunResult result = run.finish();
      List<PipelineProgress> seen = writer.seen();
      PipelineProgress atFinish = seen.get(seen.size() - 1);

      long logSize = Files.size(result.logFile());
      assertEquals(logSize, atFinish.getBytesWritten());
      switch (policy) {
        case AT_FINISH -> {
          assertEquals(0, forcedDuringRun, "forced before finish");
          assertTrue(atFinish.getLogSyncs() > 0, "never forced");
          assertEquals(logSize, atFinish.getBytesSynced(), "the force covers the whole log");
        }
        case INTERVAL -> {
          assertTrue(forcedDuringRun >= 2, "forced " + forcedDuringRun + " times during the run");
          assertTrue(atFinish.getLogSyncs() > forcedDuringRun, "not forced at finish");
          assertEquals(logSize, atFinish.getBytesSynced(), "the force covers the whole log");
        }
        case NONE -> {
          assertEquals(0, atFinish.getLogSyncs(), "forced");
          assertEquals(0, atFinish.getBytesSynced());
        }
      }
      List<Record> records = RunLogs.records(result.logFile());
      assertEquals(rows, RunLogs.history(records).size());
      List<String> types = RunLogs.types(records);
      assertEquals("footer", types.get(types.size() - 1), policy.toString());
    } finally {
      host.close().await(10, TimeUnit.SECONDS);
    }
  }
}
