package dev.runbus.console;

import dev.runbus.proto.OutputRawRecord;
import dev.runbus.proto.OutputRecord;
import dev.runbus.proto.Record;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's {@code files/output.log}, written from the console records as they are appended to the
 * log, so the file and the log always agree: W&B's lines (§7.1, {@link StreamLines}, one per
 * stream, as W&B keeps one terminal per stream), each ended by {@code \n}, no timestamps and no
 * {@code ERROR } prefix (those are the FileStream's). Created with the first console text. Not
 * thread-safe: the Writer owns it.
 */
public final class OutputLog {

  private final Path file;
  private final StreamLines stdout = new StreamLines();
  private final StreamLines stderr = new StreamLines();
  private Writer writer;
  private long lines;
  private IOException failure;

  public OutputLog(Path file) {
    this.file = file;
  }

  /**
   * Adds the text of a console record; any other record is ignored. Throws the first failure to
   * write the file, and then again each time (the caller decides how loud to be).
   */
  public void accept(Record record) throws IOException {
    switch (record.getRecordTypeCase()) {
      case OUTPUT_RAW -> {
        OutputRawRecord o = record.getOutputRaw();
        add(o.getOutputType() == OutputRawRecord.OutputType.STDERR, o.getLine());
      }
      case OUTPUT -> {
        // the old console modes send whole lines, without their break
        OutputRecord o = record.getOutput();
        String line = o.getLine();
        add(
            o.getOutputType() == OutputRecord.OutputType.STDERR,
            line.endsWith("\n") ? line : line + "\n");
      }
      default -> {
        // not console output
      }
    }
  }

  private void add(boolean fromStderr, String text) throws IOException {
    failIfFailed();
    (fromStderr ? stderr : stdout).append(text, this::write);
  }

  private void write(CharSequence line) {
    try {
      if (writer == null) {
        writer = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 15);
      }
      writer.append(line).append('\n');
      lines++;
    } catch (IOException e) {
      failure = e;
    }
  }

  private void failIfFailed() throws IOException {
    if (failure != null) {
      throw failure;
    }
  }

  /** Lines written so far. */
  public long lines() {
    return lines;
  }

  /** Hands what is buffered to the OS (the Writer's flush tick). */
  public void flush() throws IOException {
    failIfFailed();
    if (writer != null) {
      writer.flush();
    }
  }

  /** Ends each stream's unfinished line and closes the file (at finish). */
  public void close() throws IOException {
    failIfFailed();
    stdout.finish(this::write);
    stderr.finish(this::write);
    failIfFailed();
    if (writer != null) {
      writer.close();
    }
  }
}
