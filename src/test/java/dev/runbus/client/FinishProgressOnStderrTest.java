package dev.runbus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line's form is decided by where standard error goes, since that is where it is
 * written: a program run as {@code java -jar train.jar 2>train.log} from a terminal gets plain
 * lines in its file. Each test runs a real child JVM ({@link ProgressChild}); those needing its
 * standard input and output on a terminal get one from util-linux {@code script}.
 */
class FinishProgressOnStderrTest {

  @TempDir Path dir;

  @Test
  void stderrInAFileGetsPlainLines() throws Exception {
    Path log = dir.resolve("train.log");
    Process child = new ProcessBuilder(childCommand()).redirectError(log.toFile()).start();
    child.getOutputStream().close();
    assertExits(child);
    assertPlainLines(Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void stderrInAFileGetsPlainLinesWhileStdinAndStdoutAreATerminal() throws Exception {
    assumeTrue(scriptAvailable(), "needs util-linux script for a pseudo-terminal");
    Path log = dir.resolve("train.log");
    Process child = underScript(shellCommand(childCommand()) + " 2>" + quote(log.toString()));
    assertExits(child);
    assertPlainLines(Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void stderrOnATerminalGetsTheLineRedrawnInPlace() throws Exception {
    assumeTrue(scriptAvailable(), "needs util-linux script for a pseudo-terminal");
    Process child = underScript(shellCommand(childCommand()));
    String terminal = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertExits(child);
    assertTrue(terminal.contains("\rrunbus: - writing the log: 10 records"), terminal);
    assertTrue(terminal.contains("\r\033[K"), terminal);
  }

  private static void assertPlainLines(String text) {
    assertFalse(text.contains("\r"), text);
    assertFalse(text.contains("\033"), text);
    assertEquals(3, text.lines().count(), text);
    assertTrue(text.startsWith("runbus: writing the log: 10 records written"), text);
  }

  private static void assertExits(Process child) throws InterruptedException {
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not exit");
    assertEquals(0, child.exitValue());
  }

  private static List<String> childCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ProgressChild.class.getName());
    return command;
  }

  /** Runs a shell command with its standard streams on a new pseudo-terminal. */
  private static Process underScript(String shellCommand) throws IOException {
    return new ProcessBuilder("script", "-q", "-e", "-c", shellCommand, "/dev/null")
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  private static boolean scriptAvailable() {
    try {
      Process probe =
          new ProcessBuilder("script", "-q", "-e", "-c", "true", "/dev/null")
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String shellCommand(List<String> words) {
    List<String> quoted = new ArrayList<>();
    for (String word : words) {
      quoted.add(quote(word));
    }
    return String.join(" ", quoted);
  }

  private static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
