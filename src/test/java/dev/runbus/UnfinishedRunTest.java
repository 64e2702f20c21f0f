package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that forgets finish() still leaves a complete log: runbus's threads are daemons,
 * so the JVM exits when main returns (or at System.exit), and the shutdown hook finishes the run
 * on the way out, even when that happens before the kernel had started.
 */
class UnfinishedRunTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"return", "exit"})
  void theJvmExitsAndTheRunIsFinishedOnTheWayOut(String how) throws Exception {
    Process child = ChildJvm.start(UnfinishedChild.class, dir.toString(), how);
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the JVM exited on its own");
    assertEquals(0, child.exitValue(), output);
    String logLine =
        output.lines().filter(l -> l.startsWith("LOG ")).findFirst().orElseThrow();
    List<Record> records = RunLogs.records(Path.of(logLine.substring(4)));
    List<String> types = RunLogs.types(records);
    assertEquals(100, RunLogs.history(records).size());
    assertEquals(
        List.of("exit", "summary", "final", "footer"),
        types.subList(types.size() - 4, types.size()));
    Record exit = records.stream().filter(Record::hasExit).findFirst().orElseThrow();
    assertEquals(0, exit.getExit().getExitCode());
  }
}
