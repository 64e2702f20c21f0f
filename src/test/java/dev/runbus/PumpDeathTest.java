package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose pipeline thread dies of an {@code Error} fails at once: log() and finish() throw
 * saying why, what was written before stays readable, and the JVM exits instead of waiting for
 * answers that cannot come.
 */
class PumpDeathTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"finish", "exit"})
  void aPumpKilledByAnErrorFailsTheRunAtOnceAndTheJvmExits(String how) throws Exception {
    // 24 MB of text in a 64 MB heap: the string, the JSON text being built and its copy cannot
    // all fit, and the pump is the one thread that needs all three
    Process child =
        ChildJvm.start(
            List.of("-Xmx64m"), PumpDeathChild.class, dir.toString(), "24000000", how);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try {
                child.getInputStream().transferTo(out);
              } catch (java.io.IOException e) {
                // the child is gone
              }
            });
    reader.start();
    boolean exited;
    try {
      // a hang guard, not a timing: a run that waits for a dead pump takes 120 s per wait
      exited = child.waitFor(30, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly();
      reader.join(TimeUnit.SECONDS.toMillis(10));
    }
    String output = out.toString(StandardCharsets.UTF_8);
    assertTrue(exited, "the JVM exits on its own once the run failed:\n" + output);
    assertEquals(0, child.exitValue(), output);
    String refused = line(output, "LOG ");
    assertTrue(refused.startsWith("LOG REFUSED "), output);
    assertTrue(refused.contains("OutOfMemoryError"), refused);
    if (how.equals("finish")) {
      String finish = line(output, "FINISH ");
      assertTrue(finish.startsWith("FINISH REFUSED "), output);
      assertTrue(finish.contains("OutOfMemoryError"), finish);
      assertTrue(finish.contains("run-pumpdeath.wandb"), "names the log: " + finish);
    } else {
      // the exit cannot finish the run, and its reason was said when it happened: said once
      assertEquals(
          1,
          output.lines().filter(l -> l.startsWith("runbus: ") && l.contains("OutOfMemoryError")).count(),
          output);
    }
    // what reached the pipeline before the pump died is in the log, which reads back whole
    String logLine = output.lines().filter(l -> l.startsWith("LOG /")).findFirst().orElseThrow();
    Path log = Path.of(logLine.substring(4));
    List<Map<String, String>> history = RunLogs.history(RunLogs.records(log));
    assertEquals(100, history.size(), output);
    assertEquals("99", history.get(99).get("i"));
  }

  /** The last line that starts with {@code prefix} but is not the log's path. */
  private static String line(String output, String prefix) {
    return output
        .lines()
        .filter(l -> l.startsWith(prefix) && !l.startsWith("LOG /"))
        .reduce((a, b) -> b)
        .orElse("(no " + prefix.trim() + " line)");
  }
}
