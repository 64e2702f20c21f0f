package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that forgets finish() still leaves a complete log: runbus's threads are daemons,
 * so the JVM exits when main returns (or at System.exit), and the shutdown hook finishes the run
 * on the way out, even when that happens before the kernel had started.
 */
class UnfinishedRunTest {

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"return, 0", "exit, 0", "throw, 1"})
  void theJvmExitsAndTheRunIsFinishedOnTheWayOut(String how, int exitCode) throws Exception {
    Process child = ChildJvm.start(UnfinishedChild.class, dir.toString(), how);
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the JVM exited on its own");
    assertEquals(exitCode, child.exitValue(), output);
    if (how.equals("throw")) {
      // the JVM's own report of the exception is unchanged
      assertTrue(
          output.contains("Exception in thread \"main\" java.lang.IllegalStateException: the training"),
          output);
    }
    String logLine =
        output.lines().filter(l -> l.startsWith("LOG ")).findFirst().orElseThrow();
    List<Record> records = RunLogs.records(Path.of(logLine.substring(4)));
    List<String> types = RunLogs.types(records);
    assertEquals(100, RunLogs.history(records).size());
    assertEquals(
        List.of("exit", "summary", "final", "footer"),
        types.subList(types.size() - 4, types.size()));
    Record exit = records.stream().filter(Record::hasExit).findFirst().orElseThrow();
    assertEquals(exitCode, exit.getExit().getExitCode(), "a run whose main thread died failed");
  }

  @org.junit.jupiter.api.Test
  void aTerminatedProcessFinishesItsRunAndItsStillLoggingThreadSeesNoError() throws Exception {
    Process child = ChildJvm.start(CrashChild.class, dir.toString(), "2000");
    java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String logLine = out.readLine();
    assertTrue(logLine.startsWith("LOG "), logLine);
    for (String line = out.readLine(); !"STEP 200".equals(line); line = out.readLine()) {
      assertTrue(line != null, "the child logs");
    }
    // SIGTERM (through the handle, which leaves our end of the pipes open): the shutdown hook
    // finishes the run while main is still logging
    child.toHandle().destroy();
    StringBuilder rest = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      rest.append(line).append('\n');
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    assertTrue(!rest.toString().contains("Exception in thread"), rest.toString());
    List<Record> records = RunLogs.records(Path.of(logLine.substring(4)));
    List<String> types = RunLogs.types(records);
    assertEquals(
        List.of("exit", "summary", "final", "footer"),
        types.subList(types.size() - 4, types.size()));
    assertTrue(RunLogs.history(records).size() > 200);
  }
}
