package dev.runbus.client;

import dev.runbus.proto.PipelineProgress;
import java.io.PrintStream;

/**
 * The progress line finish() shows while the pipeline drains for longer than a second, redrawn in
 * place: how many records are written, the size of the log, and how many rows wait to be sent.
 */
final class FinishProgress {

  private static final char[] SPINNER = {'-', '\\', '|', '/'};

  private final PrintStream out;
  private final boolean quiet;
  private int frame;
  private boolean shown;

  FinishProgress(PrintStream out, boolean quiet) {
    this.out = out;
    this.quiet = quiet;
  }

  void show(PipelineProgress progress, int queued) {
    if (quiet) {
      return;
    }
    shown = true;
    out.print(
        "\rrunbus: " + SPINNER[frame++ % SPINNER.length] + " " + line(progress, queued) + "   ");
    out.flush();
  }

  static String line(PipelineProgress progress, int queued) {
    // records written and records accepted count different things (the log adds its header and
    // final records, a request is accepted but never written), so they are not shown as "N of M"
    return String.format(
        "writing the log: %,d records written (%.3f MB), %,d rows still queued",
        progress.getRecordsWritten(), progress.getBytesWritten() / 1048576.0, queued);
  }

  void done() {
    if (shown) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
