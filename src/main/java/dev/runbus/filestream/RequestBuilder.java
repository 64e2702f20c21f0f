package dev.runbus.filestream;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The next FileStream post, built as bytes while the log is read: one contiguous run of lines per
 * file. History lines, the bulk, are written straight into the body; events and console lines
 * beside it until {@link #seal}. Its buffers are reused from post to post, so the heap holds one
 * post being built and one in flight whatever the backlog.
 */
final class RequestBuilder {

  /** W&B's: a line longer than 10 MiB - 100 KiB is dropped. */
  static final int MAX_LINE_BYTES = 10 * 1024 * 1024 - 100 * 1024;

  /** W&B's (wandb-core's) largest request. */
  static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

  private final int maxBytes;
  private final JsonBytes body;
  private final JsonBytes events = new JsonBytes(4096);
  private final List<byte[]> console = new ArrayList<>();
  private long historyStart;
  private int historyCount;
  private int historyLineStart;
  private long eventsStart;
  private int eventsCount;
  private long consoleStart;
  private long consoleBytes;
  private boolean preempting;
  private long logOffset;
  private long droppedLines;

  RequestBuilder(int maxBytes) {
    this.maxBytes = maxBytes;
    this.body = new JsonBytes(Math.min(maxBytes, 1 << 20));
  }

  /** Bytes so far, with room for the summary ({@code summaryBytes}) and the envelope. */
  long size(long summaryBytes) {
    return body.length() + events.length() + consoleBytes + 2 * summaryBytes + 512;
  }

  int maxBytes() {
    return maxBytes;
  }

  boolean hasLines() {
    return historyCount > 0 || eventsCount > 0 || !console.isEmpty();
  }

  /** Whether a record of {@code payloadBytes} surely fits (escaping can grow bytes 7-fold). */
  boolean fits(int payloadBytes, long summaryBytes) {
    return size(summaryBytes) + 7L * payloadBytes + 64 <= maxBytes;
  }

  /** Where history line {@code number} is written; then {@link #endHistoryLine()}. */
  JsonBytes beginHistoryLine(long number) {
    if (historyCount == 0) {
      historyStart = number;
      body.ascii("{\"files\":{\"wandb-history.jsonl\":{\"offset\":")
          .number(number)
          .ascii(",\"content\":[");
    } else {
      if (number != historyStart + historyCount) {
        throw new IllegalStateException(
            "history line " + number + " after " + (historyStart + historyCount - 1));
      }
      body.put((byte) ',');
    }
    historyLineStart = body.length();
    return body;
  }

  /** Keeps the line just written, or drops it when it is too long; true when kept. */
  boolean endHistoryLine() {
    if (body.length() - historyLineStart - 2 > MAX_LINE_BYTES) {
      dropLine(historyLineStart);
      return false;
    }
    historyCount++;
    return true;
  }

  private void dropLine(int lineStart) {
    // back to before the comma, or before the file's opening when it was the first line
    body.truncate(historyCount == 0 ? 0 : lineStart - 1);
    droppedLines++;
  }

  /** Adds events line {@code number} (a body string), unless it is too long. */
  boolean eventsLine(long number, JsonBytes line) {
    if (line.length() - 2 > MAX_LINE_BYTES) {
      droppedLines++;
      return false;
    }
    if (eventsCount == 0) {
      eventsStart = number;
    } else {
      events.put((byte) ',');
    }
    events.put(line.array(), 0, line.length());
    eventsCount++;
    return true;
  }

  /** Sets console line {@code number}: the next line, or the last one again (rewritten). */
  void consoleLine(long number, byte[] line) {
    if (console.isEmpty()) {
      consoleStart = number;
    }
    long last = consoleStart + console.size() - 1;
    if (!console.isEmpty() && number == last) {
      consoleBytes += line.length - console.get(console.size() - 1).length;
      console.set(console.size() - 1, line);
    } else if (number == last + 1) {
      console.add(line);
      consoleBytes += line.length + 1;
    } else {
      throw new IllegalStateException("console line " + number + " after " + last);
    }
  }

  void preempting() {
    preempting = true;
  }

  boolean isPreempting() {
    return preempting;
  }

  void logOffset(long offset) {
    logOffset = offset;
  }

  long logOffset() {
    return logOffset;
  }

  /** Lines dropped for their length, over the builder's life. */
  long droppedLines() {
    return droppedLines;
  }

  /**
   * The post, and the builder emptied for the next one.
   *
   * @param summary the summary to send whole, or null when it did not change
   * @param exitCode the exit code of the final post, or null for a data post
   */
  PostBody seal(
      SummaryState summary,
      List<String> uploaded,
      Integer exitCode,
      long historyLines,
      long eventsLines,
      long consoleLine) {
    boolean files = historyCount > 0;
    if (files) {
      body.ascii("]}");
    } else {
      body.truncate(0);
      body.put((byte) '{');
    }
    if (summary != null) {
      JsonBytes line = new JsonBytes((int) Math.min(summary.approxBytes() * 2 + 16, maxBytes));
      summary.writeLine(line);
      if (line.length() - 2 > MAX_LINE_BYTES) {
        droppedLines++;
      } else {
        files = openFile(files, "wandb-summary.json", 0);
        body.put(line.array(), 0, line.length()).ascii("]}");
      }
    }
    if (eventsCount > 0) {
      files = openFile(files, "wandb-events.jsonl", eventsStart);
      body.put(events.array(), 0, events.length()).ascii("]}");
    }
    if (!console.isEmpty()) {
      files = openFile(files, "output.log", consoleStart);
      for (int i = 0; i < console.size(); i++) {
        if (i > 0) {
          body.put((byte) ',');
        }
        body.put(console.get(i));
      }
      body.ascii("]}");
    }
    boolean fields = files;
    if (files) {
      body.put((byte) '}');
    }
    if (!uploaded.isEmpty()) {
      body.ascii(fields ? ",\"uploaded\":[" : "\"uploaded\":[");
      fields = true;
      for (int i = 0; i < uploaded.size(); i++) {
        if (i > 0) {
          body.put((byte) ',');
        }
        body.put((byte) '"').escapedOnce(utf8(uploaded.get(i)), 0, utf8(uploaded.get(i)).length);
        body.put((byte) '"');
      }
      body.put((byte) ']');
    }
    if (exitCode != null) {
      body.ascii(fields ? "," : "").ascii("\"complete\":true,\"exitcode\":").number(exitCode);
      fields = true;
    }
    if (preempting) {
      body.ascii(fields ? "," : "").ascii("\"preempting\":true");
    }
    body.put((byte) '}');
    Buffer bytes = Buffer.buffer(body.length()).appendBytes(body.array(), 0, body.length());
    PostBody post =
        new PostBody(
            bytes,
            logOffset,
            historyLines,
            eventsLines,
            consoleLine,
            historyCount,
            List.copyOf(uploaded),
            exitCode != null,
            preempting);
    reset();
    return post;
  }

  private boolean openFile(boolean files, String name, long offset) {
    body.ascii(files ? "," : "\"files\":{")
        .put((byte) '"')
        .ascii(name)
        .ascii("\":{\"offset\":")
        .number(offset)
        .ascii(",\"content\":[");
    return true;
  }

  private void reset() {
    body.truncate(0);
    events.truncate(0);
    console.clear();
    historyCount = 0;
    eventsCount = 0;
    consoleBytes = 0;
    preempting = false;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
