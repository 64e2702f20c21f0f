package dev.runbus.filestream;

import com.google.protobuf.Timestamp;
import dev.runbus.console.StreamLines;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Console output as {@code output.log} lines, W&B's way (protocol §5.5, §7.1): each line is {@code
 * [ERROR ]timestamp text} (stderr gets the prefix; UTC, microseconds), cut by W&B's rules ({@link
 * StreamLines}: {@code \n} ends a line, {@code \r} lets the next text replace it) with one line
 * state per stream, as W&B keeps one terminal per stream: a stderr line never lands inside an
 * unfinished stdout line. Finished lines take the file's offsets in the order they finish, so
 * they are the lines the Writer's {@code files/output.log} holds. An unfinished line (a progress
 * bar) is shown at the next offset as it changes, and sent again when it finishes or another
 * line takes its place; only that last line is ever rewritten.
 */
final class ConsoleLines {

  /** Receives a line's number and its text as a body string (quoted, escaped). */
  interface Sink {
    void line(long number, byte[] bodyString);
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private long current;
  private final StreamLines stdout = new StreamLines();
  private final StreamLines stderr = new StreamLines();
  private Timestamp stdoutTime = Timestamp.getDefaultInstance();
  private Timestamp stderrTime = Timestamp.getDefaultInstance();

  ConsoleLines(long firstLine) {
    this.current = firstLine;
  }

  /** The number of the next line to finish (every line before it is finished). */
  long currentLine() {
    return current;
  }

  /** Applies one piece of output; {@code sink} null replays without sending (a resumed sync). */
  void apply(boolean fromStderr, Timestamp at, String output, Sink sink) {
    StreamLines lines = fromStderr ? stderr : stdout;
    long before = current;
    lines.append(
        output,
        line -> {
          emit(sink, current, fromStderr, at, line);
          current++;
        });
    if (lines.hasPartial()) {
      setTime(fromStderr, at);
      emit(sink, current, fromStderr, at, lines.partial());
      return;
    }
    StreamLines other = fromStderr ? stdout : stderr;
    if (current != before && other.hasPartial()) {
      // the other stream's unfinished line was shown where a finished line now is: show it after
      emit(sink, current, !fromStderr, fromStderr ? stdoutTime : stderrTime, other.partial());
    }
  }

  private void setTime(boolean fromStderr, Timestamp at) {
    if (fromStderr) {
      stderrTime = at;
    } else {
      stdoutTime = at;
    }
  }

  private static void emit(
      Sink sink, long number, boolean fromStderr, Timestamp time, CharSequence text) {
    if (sink == null) {
      return;
    }
    StringBuilder line = new StringBuilder(text.length() + 40);
    if (fromStderr) {
      line.append("ERROR ");
    }
    line.append(TIME.format(Instant.ofEpochSecond(time.getSeconds(), time.getNanos())))
        .append(' ')
        .append(text);
    byte[] utf8 = line.toString().getBytes(StandardCharsets.UTF_8);
    JsonBytes out = new JsonBytes(utf8.length + 8);
    out.put((byte) '"').escapedOnce(utf8, 0, utf8.length).put((byte) '"');
    sink.line(number, out.toArray());
  }
}
