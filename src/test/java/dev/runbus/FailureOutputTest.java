package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a quiet run whose pipeline fails prints: one line saying what happened, when it happens,
 * and no stack trace; and what finish() throws: what happened, said once, and where the log is. In
 * a child JVM, so that everything the process prints is seen, java.util.logging's output included.
 */
class FailureOutputTest {

  @TempDir Path dir;

  @Test
  void aDeletedRunDirectoryIsOneLineAndFinishSaysItOnce() throws Exception {
    Output out = run("deleted");
    String log = out.log();
    String what = "writing " + log + " failed: the log was deleted while the run was open";

    assertEquals(1, out.stderr().size(), "one line: " + out.stderr());
    String error = out.stderr().get(0);
    assertTrue(error.startsWith("runbus: ERROR run failing: " + what), error);
    String thrown = out.thrown();
    assertTrue(thrown.startsWith("runbus: run failing could not finish: " + what), thrown);
    assertEquals(1, count(thrown, "finish"), thrown);
    assertEquals(1, count(thrown, log), thrown);
  }

  @Test
  void aDeletedRunDirectoryTheJvmsExitFinishesIsOneLineToo() throws Exception {
    Output out = run("deleted", "unfinished");
    String what = "writing " + out.log() + " failed: the log was deleted while the run was open";

    assertEquals(1, out.stderr().size(), "one line: " + out.stderr());
    String error = out.stderr().get(0);
    assertTrue(error.startsWith("runbus: ERROR run failing: " + what), error);
  }

  @Test
  void aClosedVertxIsOneLineAndFinishNamesTheLog() throws Exception {
    Output out = run("closed");
    String log = out.log();
    String what =
        "the Vert.x instance running the run's pipeline was closed before the run finished";

    assertEquals(List.of("runbus: ERROR run failing: " + what), out.stderr());
    String thrown = out.thrown();
    assertEquals(
        "runbus: run failing is incomplete: "
            + what
            + "; what was written before that is in "
            + log,
        thrown);
  }

  private record Output(List<String> stdout, List<String> stderr) {
    String log() {
      return line("LOG ");
    }

    String thrown() {
      return line("THROWN ");
    }

    private String line(String prefix) {
      return stdout.stream()
          .filter(l -> l.startsWith(prefix))
          .map(l -> l.substring(prefix.length()))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + prefix + "line in " + stdout));
    }
  }

  private Output run(String... how) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FailingRunChild.class.getName(),
                dir.toString()));
    command.addAll(List.of(how));
    ProcessBuilder child = new ProcessBuilder(command);
    Process process = child.start();
    CompletableFuture<String> stdout = read(process.getInputStream());
    CompletableFuture<String> stderr = read(process.getErrorStream());
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child finished");
    return new Output(
        stdout.get(10, TimeUnit.SECONDS).lines().toList(),
        stderr.get(10, TimeUnit.SECONDS).lines().toList());
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }
}
