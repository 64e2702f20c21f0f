package dev.runbus.client;

import dev.runbus.proto.PipelineProgress;
import dev.runbus.proto.PollExitResponse;
import dev.runbus.proto.SendProgress;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The progress line finish() shows while the pipeline drains for longer than a second: how many
 * records are written, the size of the log, and how many rows wait to be sent. On a terminal it is
 * one line redrawn in place; elsewhere (a file, a pipe, a CI log) each update is a plain line of
 * its own, without the carriage returns and erase codes that would litter a file.
 */
final class FinishProgress {

  private static final char[] SPINNER = {'-', '\\', '|', '/'};

  /** Where the standard error's file descriptor points, on Linux. */
  private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");

  private final PrintStream out;
  private final boolean quiet;
  private final BooleanSupplier onTerminal;
  private Boolean terminal; // decided when there is first something to show
  private int frame;
  private boolean shown;

  /** Progress on {@code out}, standard error, redrawn in place when that is a terminal. */
  FinishProgress(PrintStream out, boolean quiet) {
    this(out, quiet, FinishProgress::hasTerminal);
  }

  FinishProgress(PrintStream out, boolean quiet, boolean terminal) {
    this(out, quiet, () -> terminal);
  }

  private FinishProgress(PrintStream out, boolean quiet, BooleanSupplier onTerminal) {
    this.out = out;
    this.quiet = quiet;
    this.onTerminal = onTerminal;
  }

  /**
   * Whether standard error, where the progress goes, is a terminal. On Linux that is where file
   * descriptor 2 points, so {@code java -jar train.jar 2>train.log} run from a terminal gets plain
   * lines in its file. Without {@code /proc}, {@link #consoleIsTerminal} decides, which asks about
   * standard input and output instead.
   */
  static boolean hasTerminal() {
    return isTerminal(STDERR_LINK, FinishProgress::consoleIsTerminal);
  }

  /**
   * Whether the file descriptor {@code fdLink} (a {@code /proc/self/fd/N} link) is a terminal, or
   * {@code fallback}'s answer where that link cannot be read (no {@code /proc}).
   */
  static boolean isTerminal(Path fdLink, BooleanSupplier fallback) {
    Path target;
    try {
      target = Files.readSymbolicLink(fdLink);
    } catch (IOException | UnsupportedOperationException | SecurityException noProc) {
      return fallback.getAsBoolean();
    }
    return isTerminalDevice(target.toString());
  }

  /**
   * Whether a file descriptor's link target is a terminal device: a pseudo-terminal or a tty,
   * rather than a file, a pipe ({@code pipe:[…]}), a socket or {@code /dev/null}.
   */
  static boolean isTerminalDevice(String target) {
    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
  }

  /**
   * Whether this process talks to a terminal, by standard input and output. Up to Java 21 {@code
   * System.console()} is non-null only when both are a terminal; from Java 22 on it may be
   * non-null anyway, and {@code Console.isTerminal()} (looked up by reflection: this builds for
   * Java 17) says.
   */
  static boolean consoleIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException beforeJava22) {
      return true;
    }
  }

  void show(PipelineProgress progress, int queued) {
    show(PollExitResponse.newBuilder().setProgress(progress).build(), queued);
  }

  void show(PollExitResponse poll, int queued) {
    if (quiet) {
      return;
    }
    shown = true;
    if (terminal == null) {
      terminal = onTerminal.getAsBoolean();
    }
    if (terminal) {
      out.print(
          "\rrunbus: " + SPINNER[frame++ % SPINNER.length] + " " + line(poll, queued) + "   ");
    } else {
      out.println("runbus: " + line(poll, queued));
    }
    out.flush();
  }

  /**
   * While the log is still being written, how far that is; once it is (online), what the server
   * has yet to acknowledge, in W&B's words and units (MB of 2^20 bytes).
   */
  static String line(PollExitResponse poll, int queued) {
    SendProgress send = poll.getSend();
    if (send.getOnline() && queued == 0) {
      return String.format(
          "uploading: %.3f MB of %.3f MB of the log acknowledged, %d of %d files uploaded",
          send.getLogBytesAcknowledged() / 1048576.0,
          send.getLogBytesFlushed() / 1048576.0,
          send.getFilesUploaded(),
          send.getFilesTotal());
    }
    return line(poll.getProgress(), queued);
  }

  static String line(PipelineProgress progress, int queued) {
    // records written and records accepted count different things (the log adds its header and
    // final records, a request is accepted but never written), so they are not shown as "N of M"
    return String.format(
        "writing the log: %,d records written (%.3f MB), %,d rows still queued",
        progress.getRecordsWritten(), progress.getBytesWritten() / 1048576.0, queued);
  }

  /** Clears the redrawn line; plain lines stay, as a record of how the drain went. */
  void done() {
    if (shown && terminal) { // shown: terminal is decided
      out.print("\r\033[K");
      out.flush();
    }
  }
}
