package dev.runbus.server.api;

/**
 * Where a streamed history read stands: the next line, what is left of the limit, and how many
 * lines to ask the store for next. Pages are sized by the bytes they came to, so that memory stays
 * bounded whatever the width of a run's lines: the first page is small, and pages double while
 * they stay under half of {@link #TARGET_BYTES} and halve when they pass twice it.
 */
final class HistoryPager {
  static final int TARGET_BYTES = 256 * 1024;
  static final int FIRST_PAGE = 64;
  static final int MIN_PAGE = 16;
  static final int MAX_PAGE = 32768;

  private final long end;
  private long next;
  private long remaining;
  private int pageLines = FIRST_PAGE;

  /**
   * @param from the first line wanted
   * @param limit at most this many lines
   * @param lineCount the run's history lines when the read began: the stream ends there, so that
   *     a running run's stream ends too
   */
  HistoryPager(long from, long limit, long lineCount) {
    this.next = from;
    this.remaining = limit;
    this.end = lineCount;
  }

  boolean done() {
    return remaining <= 0 || next >= end;
  }

  long nextLine() {
    return next;
  }

  /** How many lines to ask for from {@link #nextLine()}. */
  long pageLimit() {
    return Math.min(pageLines, Math.min(remaining, end - next));
  }

  /**
   * Records a page read from {@link #nextLine()} with {@link #pageLimit()}: {@code lines} lines
   * came back, the last numbered {@code lastLine}, {@code bytes} long in all.
   */
  void pageRead(long asked, int lines, long lastLine, long bytes) {
    remaining -= lines;
    // lines without any chosen key may be left out by the store: move past what was asked for
    next = lines > 0 ? Math.max(lastLine + 1, next + 1) : next + asked;
    if (bytes > 2L * TARGET_BYTES) {
      pageLines = Math.max(MIN_PAGE, pageLines / 2);
    } else if (bytes < TARGET_BYTES / 2 && lines >= pageLines) {
      pageLines = Math.min(MAX_PAGE, pageLines * 2);
    }
  }
}
