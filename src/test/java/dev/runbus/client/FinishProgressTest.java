package dev.runbus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.PipelineProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The finish progress line: redrawn in place on a terminal, plain lines in a file or a pipe. */
class FinishProgressTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private static PipelineProgress progress(long records) {
    return PipelineProgress.newBuilder()
        .setRecordsWritten(records)
        .setBytesWritten(records * 100)
        .build();
  }

  private String shownTwiceThenDone(FinishProgress progress) {
    progress.show(progress(10), 5);
    progress.show(progress(20), 0);
    progress.done();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlaceAndErasedAtTheEnd() {
    String text = shownTwiceThenDone(new FinishProgress(out, false, true));
    assertTrue(text.startsWith("\rrunbus: - writing the log: 10 records written"), text);
    assertTrue(text.contains("\rrunbus: \\ writing the log: 20 records written"), text);
    assertTrue(text.endsWith("\r\033[K"), text);
    assertFalse(text.contains("\n"), text);
  }

  @Test
  void elsewhereEachUpdateIsAPlainLineWithoutControlCharacters() {
    String text = shownTwiceThenDone(new FinishProgress(out, false, false));
    String newline = System.lineSeparator();
    assertEquals(
        "runbus: writing the log: 10 records written (0.001 MB), 5 rows still queued"
            + newline
            + "runbus: writing the log: 20 records written (0.002 MB), 0 rows still queued"
            + newline,
        text);
  }

  @Test
  void aProcessWithoutATerminalGetsPlainLines() {
    // the build runs tests with their standard streams redirected: no terminal
    assertFalse(FinishProgress.hasTerminal());
    String text = shownTwiceThenDone(new FinishProgress(out, false));
    assertFalse(text.contains("\r"), text);
    assertFalse(text.contains("\033"), text);
    assertEquals(2, text.lines().count(), text);
  }

  @Test
  void quietShowsNothingEitherWay() {
    shownTwiceThenDone(new FinishProgress(out, true, true));
    shownTwiceThenDone(new FinishProgress(out, true, false));
    assertEquals(0, bytes.size());
  }

  @Test
  void terminalDevicesAreTerminalsAndFilesPipesAndSocketsAreNot() {
    assertTrue(FinishProgress.isTerminalDevice("/dev/pts/3"));
    assertTrue(FinishProgress.isTerminalDevice("/dev/tty1"));
    assertTrue(FinishProgress.isTerminalDevice("/dev/ttyS0"));
    assertTrue(FinishProgress.isTerminalDevice("/dev/tty"));
    assertFalse(FinishProgress.isTerminalDevice("/home/me/train.log"));
    assertFalse(FinishProgress.isTerminalDevice("/dev/null"));
    assertFalse(FinishProgress.isTerminalDevice("pipe:[48213]"));
    assertFalse(FinishProgress.isTerminalDevice("socket:[48214]"));
    assertFalse(FinishProgress.isTerminalDevice("/tmp/dev/pts/3"));
  }

  @Test
  void aFileDescriptorLinkIsClassifiedByItsTarget(@TempDir Path dir) throws Exception {
    Path pts = Files.createSymbolicLink(dir.resolve("2-pts"), Path.of("/dev/pts/7"));
    Path file = Files.createSymbolicLink(dir.resolve("2-file"), dir.resolve("train.log"));
    Path pipe = Files.createSymbolicLink(dir.resolve("2-pipe"), Path.of("pipe:[48213]"));
    // the fallback, what stdin and stdout say, is not asked where the link can be read
    assertTrue(FinishProgress.isTerminal(pts, () -> false));
    assertFalse(FinishProgress.isTerminal(file, () -> true));
    assertFalse(FinishProgress.isTerminal(pipe, () -> true));
  }

  @Test
  void withoutProcTheFallbackDecides(@TempDir Path dir) {
    Path missing = dir.resolve("proc/self/fd/2");
    assertTrue(FinishProgress.isTerminal(missing, () -> true));
    assertFalse(FinishProgress.isTerminal(missing, () -> false));
  }
}
