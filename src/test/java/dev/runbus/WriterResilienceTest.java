package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbus.log.LogReader;
import dev.runbus.proto.Record;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the files beside the log may cost a run: never a record of the log itself. */
class WriterResilienceTest {

  @TempDir Path dir;

  @Test
  void aConfigValueTooLongForJacksonsDefaultsIsWrittenAndTheRunCompletes() throws Exception {
    BigInteger huge = BigInteger.TEN.pow(1_000); // 1,001 digits: past Jackson's default limit
    Run run = Runbus.init(RunLogs.quietOffline(dir).build());
    run.config().set("big", huge);
    run.log(Map.of("loss", 0.5));
    RunResult result = run.finish();

    List<Record> records = RunLogs.records(result.logFile());
    List<String> types = RunLogs.types(records);
    assertTrue(types.contains("config"), types.toString());
    assertEquals(
        List.of("exit", "summary", "final", "footer"),
        types.subList(types.size() - 4, types.size()));
    assertEquals(1, result.historyRows());
    String config = Files.readString(result.dir().resolve("files/config.yaml"));
    assertTrue(config.contains(huge.toString()), config);
  }

  @Test
  void theLogKeepsBeingFlushedWhenConfigYamlCannotBeWritten() throws Exception {
    Run run =
        Runbus.init(RunLogs.quietOffline(dir).flushInterval(Duration.ofMillis(50)).build());
    run.log(Map.of("loss", 1.0));
    Path files = run.dir().resolve("files");
    Path log = run.dir().resolve("run-" + run.id() + ".wandb");
    awaitLogLongerThan(log, 7); // the first rows reached the OS
    // a file where files/ was: config.yaml can no longer be replaced
    try (var list = Files.list(files)) {
      for (Path p : (Iterable<Path>) list::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(files);
    Files.writeString(files, "in the way");

    long flushed = Files.size(log);
    run.config().set("lr", 0.1); // makes config.yaml due at the next flush, which fails
    run.log(Map.of("loss", 0.75));
    awaitLogLongerThan(log, flushed); // that flush happened
    long before = Files.size(log);
    for (int i = 0; i < 50; i++) {
      run.log(Map.of("loss", 1.0 / (i + 2)));
    }
    awaitLogLongerThan(log, before); // and later ones still do, without finish()

    RunResult result = run.finish();
    assertEquals(52, result.historyRows());
    assertEquals(52, RunLogs.history(RunLogs.records(result.logFile())).size());
  }

  @Test
  void aRunWhoseDirectoryWasDeletedDoesNotFinishAsIfItWereSaved() throws Exception {
    Run run = Runbus.init(RunLogs.quietOffline(dir).build());
    run.log(Map.of("loss", 1.0));
    Path runDir = run.dir();
    run.summary().asMap(); // the log exists by now
    try (var files = Files.walk(runDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    run.log(Map.of("loss", 0.5));

    RunbusException e = assertThrows(RunbusException.class, run::finish);
    assertTrue(e.getMessage().contains("deleted while the run was open"), e.getMessage());
  }

  @Test
  void aFullDiskFailsFinishNamingItAndTheLogReadsBackToWhereItStopped() throws Exception {
    Path small = Files.createDirectories(dir.resolve("small"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString())
            .redirectErrorStream(true)
            .start();
    mount.getInputStream().readAllBytes();
    assumeTrue(
        mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
        "a 1 MiB disk needs tmpfs and the right to mount it");
    try {
      Run run = Runbus.init(RunLogs.quietOffline(small).build());
      Map<String, Object> row = new HashMap<>();
      RunbusException refused = null;
      for (int i = 0; i < 20_000 && refused == null; i++) { // about 6 MB of log for a 1 MiB disk
        for (int k = 0; k < 10; k++) {
          row.put("metric_" + k, Math.sin(i + k));
        }
        try {
          run.log(row);
        } catch (RunbusException e) {
          refused = e; // the run failed with the disk: log() says so from then on
        }
      }
      if (refused != null) {
        assertTrue(refused.getMessage().contains("No space left on device"), refused.getMessage());
      }
      RunbusException e = assertThrows(RunbusException.class, run::finish);
      assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());

      long intact = 0;
      try (LogReader reader = LogReader.open(run.dir().resolve("run-" + run.id() + ".wandb"))) {
        while (reader.next() != null) {
          intact++;
        }
      }
      assertTrue(intact > 1_000, "what reached the disk reads back: " + intact + " records");
    } finally {
      new ProcessBuilder("umount", small.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Polls: the flush is on the Writer's timer, and this test must not depend on its speed. */
  private static void awaitLogLongerThan(Path log, long bytes) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(log) || Files.size(log) <= bytes) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(log + " did not grow past " + bytes + " bytes");
      }
      Thread.sleep(10);
    }
  }
}
