package dev.runbus.handler;

import dev.runbus.proto.HistoryItem;
import java.util.List;

/**
 * Consecutive rows usually carry the same keys in the same order. Comparing a row's keys with the
 * previous row's is a few {@code String.equals} calls, cheaper than hashing every key of every row,
 * so per-key state can be cached by position.
 */
final class RowShapes {
  private RowShapes() {}

  /**
   * True when both rows have the same top-level keys in the same order (nested items never match).
   */
  static boolean sameKeys(List<HistoryItem> previous, List<HistoryItem> row) {
    if (previous == null || previous.size() != row.size()) {
      return false;
    }
    for (int i = 0, n = row.size(); i < n; i++) {
      String a = previous.get(i).getKey();
      String b = row.get(i).getKey();
      if (a.isEmpty() || (a != b && !a.equals(b))) {
        return false;
      }
    }
    return true;
  }
}
