package dev.runbus.client;

import dev.runbus.proto.PipelineProgress;
import java.io.PrintStream;

/**
 * The progress line finish() shows while the pipeline drains for longer than a second: how many
 * records are written, the size of the log, and how many rows wait to be sent. On a terminal it is
 * one line redrawn in place; elsewhere (a file, a pipe, a CI log) each update is a plain line of its
 * own, without the carriage returns and erase codes that would litter a file.
 */
final class FinishProgress {

  private static final char[] SPINNER = {'-', '\\', '|', '/'};

  private final PrintStream out;
  private final boolean quiet;
  private final boolean terminal;
  private int frame;
  private boolean shown;

  /**
   * Progress on {@code out}, redrawn in place when this process talks to a terminal. Java 17 has no
   * test for one stream; {@code System.console()} is non-null only when standard input and output
   * are both a terminal, which is what an interactive run looks like.
   */
  FinishProgress(PrintStream out, boolean quiet) {
    this(out, quiet, System.console() != null);
  }

  FinishProgress(PrintStream out, boolean quiet, boolean terminal) {
    this.out = out;
    this.quiet = quiet;
    this.terminal = terminal;
  }

  void show(PipelineProgress progress, int queued) {
    if (quiet) {
      return;
    }
    shown = true;
    if (terminal) {
      out.print(
          "\rrunbus: " + SPINNER[frame++ % SPINNER.length] + " " + line(progress, queued) + "   ");
    } else {
      out.println("runbus: " + line(progress, queued));
    }
    out.flush();
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
    if (shown && terminal) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
