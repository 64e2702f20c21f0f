package dev.runbus.ranks;

import dev.runbus.proto.HistoryItem;
import java.util.List;

/**
 * One complete row of one rank, its keys already labelled: either a slice of a block (values as
 * varint-length texts in {@code values[start, end)}, in the order of {@code keys}) or items.
 */
record RankRow(
    int rank, long step, List<String> keys, byte[] values, int start, int end, List<HistoryItem> items) {

  /** What a row costs the merge window beyond its bytes: the objects that hold it. */
  static final long OVERHEAD = 96;

  static RankRow block(int rank, long step, List<String> keys, byte[] values, int start, int end) {
    return new RankRow(rank, step, keys, values, start, end, null);
  }

  static RankRow items(int rank, long step, List<HistoryItem> items) {
    return new RankRow(rank, step, null, null, 0, 0, items);
  }

  boolean isBlock() {
    return items == null;
  }

  RankRow atStep(long newStep) {
    return new RankRow(rank, newStep, keys, values, start, end, items);
  }

  /** Bytes this row holds in the merge window (a block's array is shared by its rows: each pays its slice). */
  long bytes() {
    if (isBlock()) {
      return OVERHEAD + (end - start);
    }
    long bytes = OVERHEAD;
    for (HistoryItem item : items) {
      bytes += 48 + item.getKey().length() + item.getValueJson().length();
      for (int i = 0; i < item.getNestedKeyCount(); i++) {
        bytes += 40 + item.getNestedKey(i).length();
      }
    }
    return bytes;
  }
}
