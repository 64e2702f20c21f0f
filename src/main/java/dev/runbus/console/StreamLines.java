package dev.runbus.console;

/**
 * One console stream's text cut into lines by W&B's rules (protocol §7.1): {@code \n} ends a line
 * ({@code \r\n} too), and {@code \r} returns to the start of the line, so the text after it
 * replaces the line: a progress bar redrawn a hundred times is one line, its last state. No
 * timestamps, no prefixes: those belong to whoever shows the line.
 *
 * <p>The unfinished line is held here, at most {@code maxLineChars} chars: a longer one is cut
 * there and goes out as a line of its own, so memory stays bounded whatever the program prints.
 * Not thread-safe: one stream (of one thread, or of one log) owns it.
 */
public final class StreamLines {

  /** Receives each finished line, without its line break. */
  public interface Sink {
    void line(CharSequence text);
  }

  /** Longest line kept whole by default: longer ones are cut into lines of this many chars. */
  public static final int MAX_LINE_CHARS = 64 * 1024;

  private final int maxLineChars;
  private final StringBuilder line = new StringBuilder();
  /** A {@code \r} was seen: the next text replaces the line, a {@code \n} keeps it. */
  private boolean returned;

  public StreamLines() {
    this(MAX_LINE_CHARS);
  }

  public StreamLines(int maxLineChars) {
    if (maxLineChars < 1) {
      throw new IllegalArgumentException("maxLineChars must be positive, was " + maxLineChars);
    }
    this.maxLineChars = maxLineChars;
  }

  /** Applies {@code text}; every line it finishes goes to {@code sink}, in order. */
  public void append(CharSequence text, Sink sink) {
    append(text, 0, text.length(), sink);
  }

  public void append(CharSequence text, int from, int to, Sink sink) {
    int start = from; // the pending run of plain chars: appended in one go
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        plain(text, start, i, sink);
        start = i + 1;
        if (c == '\n') {
          sink.line(line);
          line.setLength(0);
          returned = false;
        } else {
          returned = true;
        }
      }
    }
    plain(text, start, to, sink);
  }

  private void plain(CharSequence text, int from, int to, Sink sink) {
    if (from == to) {
      return;
    }
    if (returned) {
      line.setLength(0); // a progress bar's next state replaces the last
      returned = false;
    }
    while (line.length() + (to - from) > maxLineChars) {
      int room = maxLineChars - line.length();
      line.append(text, from, from + room);
      from += room;
      sink.line(line);
      line.setLength(0);
    }
    line.append(text, from, to);
  }

  /** Whether a line has begun and not ended (a {@code \r} alone begins nothing). */
  public boolean hasPartial() {
    return line.length() > 0;
  }

  /** The unfinished line, as it would be shown now. */
  public CharSequence partial() {
    return line;
  }

  /** Chars held for the unfinished line. */
  public int heldChars() {
    return line.length();
  }

  /** Ends the unfinished line, if there is one, as if a {@code \n} came: at the end of a capture. */
  public void finish(Sink sink) {
    if (line.length() > 0) {
      sink.line(line);
    }
    line.setLength(0);
    returned = false;
  }
}
