package dev.runbus.filestream;

import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Console output as {@code output.log} lines, W&B's way: each line is {@code [ERROR ]timestamp
 * text} (UTC, microseconds), {@code \n} ends a line, and {@code \r} returns to the start of the
 * current one, so the next text replaces it (a progress bar). Line numbers are the file's offsets;
 * a line that changes after it was sent is sent again at its own offset, which the server then
 * overwrites. Only the current (last) line ever changes.
 */
final class ConsoleLines {

  /** Receives a line's number and its text as a body string (quoted, escaped). */
  interface Sink {
    void line(long number, byte[] bodyString);
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private long current;
  private final StringBuilder text = new StringBuilder();
  private boolean atLineStart;
  private boolean stderr;
  private Timestamp time = Timestamp.getDefaultInstance();

  ConsoleLines(long firstLine) {
    this.current = firstLine;
  }

  /** The number of the line being written (every line before it is complete). */
  long currentLine() {
    return current;
  }

  /** Applies one piece of output; {@code sink} null replays without sending (a resumed sync). */
  void apply(boolean fromStderr, Timestamp at, String output, Sink sink) {
    boolean dirty = false;
    for (int i = 0, n = output.length(); i < n; i++) {
      char c = output.charAt(i);
      if (c == '\n') {
        stamp(fromStderr, at, dirty); // an empty line is a line too
        emit(sink);
        current++;
        text.setLength(0);
        atLineStart = false;
        dirty = false;
      } else if (c == '\r') {
        atLineStart = true;
      } else {
        if (atLineStart) {
          text.setLength(0);
          atLineStart = false;
        }
        text.append(c);
        dirty = true;
      }
    }
    if (dirty) {
      stamp(fromStderr, at, true);
      emit(sink);
    }
  }

  private void stamp(boolean fromStderr, Timestamp at, boolean wrote) {
    if (wrote) {
      stderr = fromStderr;
      time = at;
    }
  }

  private void emit(Sink sink) {
    if (sink == null) {
      return;
    }
    StringBuilder line = new StringBuilder(text.length() + 40);
    if (stderr) {
      line.append("ERROR ");
    }
    line.append(TIME.format(Instant.ofEpochSecond(time.getSeconds(), time.getNanos())))
        .append(' ')
        .append(text);
    byte[] utf8 = line.toString().getBytes(StandardCharsets.UTF_8);
    JsonBytes out = new JsonBytes(utf8.length + 8);
    out.put((byte) '"').escapedOnce(utf8, 0, utf8.length).put((byte) '"');
    sink.line(current, out.toArray());
  }
}
