package dev.runbus.server.store.history;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Walks one key's values in line order, a page of blocks at a time, so that a scan holds only a
 * page per key whatever the run's length.
 */
final class ColumnCursor {
  static final int PAGE_BLOCKS = 32;

  private final Connection c;
  private final long runId;
  private final int keyId;
  private Column page = new Column(0);
  private int i;
  private long nextFirstLine;
  private boolean exhausted;

  ColumnCursor(Connection c, long runId, int keyId, long fromLine) throws SQLException {
    this.c = c;
    this.runId = runId;
    this.keyId = keyId;
    long start = BlockTable.blockAt(c, runId, keyId, fromLine);
    nextFirstLine = start >= 0 ? start : fromLine;
  }

  /**
   * Moves to the first value at or after {@code line}; returns whether that value is on {@code
   * line}. Lines asked must not go down.
   */
  boolean seek(long line) throws SQLException {
    while (true) {
      i = page.indexOfLineAtLeast(i, line);
      if (i < page.size) {
        return page.lines[i] == line;
      }
      if (exhausted || !load()) {
        return false;
      }
    }
  }

  private boolean load() throws SQLException {
    Column next = new Column(PAGE_BLOCKS * BlockTable.MAX_VALUES);
    int blocks = BlockTable.decodePage(c, runId, keyId, nextFirstLine, PAGE_BLOCKS, next);
    if (blocks < PAGE_BLOCKS) {
      exhausted = true;
    }
    if (next.size == 0) {
      return false;
    }
    page = next;
    i = 0;
    nextFirstLine = page.lines[page.size - 1] + 1;
    return true;
  }

  double value() {
    return page.values[i];
  }

  boolean isInt() {
    return page.ints[i];
  }

  long step() {
    return page.steps[i];
  }
}
