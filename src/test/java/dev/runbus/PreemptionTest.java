package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.log.IndependentReader;
import dev.runbus.proto.Record;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preemption as W&B records it: a {@code preempting} record, then the run's exit, final and
 * footer. SIGTERM (what a scheduler sends the job it preempts) does this for every open run, with
 * exit code 143; {@link Run#markPreempting} does the first part by hand.
 */
class PreemptionTest {

  @TempDir Path dir;

  @Test
  void sigtermMarksTheRunPreemptingAndFinishesItWithExitCode143() throws Exception {
    Process child = ChildJvm.start(CrashChild.class, dir.toString(), "2000");
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String logLine = out.readLine();
    assertTrue(logLine != null && logLine.startsWith("LOG "), String.valueOf(logLine));
    for (String line = out.readLine(); !"STEP 200".equals(line); line = out.readLine()) {
      assertTrue(line != null, "the child logs");
    }
    child.toHandle().destroy(); // SIGTERM; the handle leaves our end of its stdout open
    StringBuilder rest = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      rest.append(line).append('\n');
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "SIGTERM ended the child");
    assertEquals(143, child.exitValue(), "the JVM still exits as SIGTERM makes it: " + rest);

    Path log = Path.of(logLine.substring(4));
    List<Record> records = RunLogs.records(log);
    List<String> types = RunLogs.types(records);
    String tail = types.subList(Math.max(0, types.size() - 8), types.size()).toString();
    assertEquals(1, types.stream().filter("preempting"::equals).count(), "the log ends " + tail);
    int preempting = types.indexOf("preempting");
    int exit = types.indexOf("exit");
    assertTrue(preempting >= 0 && preempting < exit, "preempting before the exit: " + tail);
    assertEquals(
        List.of("exit", "summary", "final", "footer"),
        types.subList(types.size() - 4, types.size()),
        "the log ends as a finished run's does");
    assertEquals(143, records.get(exit).getExit().getExitCode(), "W&B's 128 + SIGTERM");
    assertTrue(RunLogs.history(records).size() > 200);
    assertEquals(1, IndependentReader.typeCounts(log).get("preempting"), "W&B's reader reads it");
  }

  @Test
  void markPreemptingWritesTheRecordBeforeTheExitAndTheExitCodeIsTheCallers() throws Exception {
    Run run =
        Runbus.init(
            Settings.builder()
                .dir(dir)
                .runId("preempt-by-hand")
                .quiet(true)
                .environment(Map.of())
                .build());
    run.log(Map.of("loss", 1.0));
    run.markPreempting();
    run.log(Map.of("loss", 0.5));
    run.finish(0);
    List<String> types = RunLogs.types(RunLogs.records(run.logFile()));
    int preempting = types.indexOf("preempting");
    assertTrue(
        preempting > types.indexOf("history") && preempting < types.lastIndexOf("history"),
        "in call order: " + types);
    Record exit =
        RunLogs.records(run.logFile()).stream().filter(Record::hasExit).findFirst().orElseThrow();
    assertEquals(0, exit.getExit().getExitCode(), "a preempting run that ends well finished");
    assertThrows(IllegalStateException.class, run::markPreempting, "as every call after finish");
  }

  @Test
  void aDisabledRunTakesTheCallAndRefusesItAfterFinishAlike() {
    Run run = Runbus.init(Settings.builder().mode(Mode.DISABLED).environment(Map.of()).build());
    run.markPreempting();
    run.finish();
    assertThrows(IllegalStateException.class, run::markPreempting);
  }
}
