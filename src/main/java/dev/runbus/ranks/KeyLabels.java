package dev.runbus.ranks;

import dev.runbus.proto.HistoryItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a rank's keys are named in the run: {@code rank<N>/<key>} when the ranks' keys are kept
 * apart, as logged when they are merged. Keys W&B reserves ({@code _timestamp}, {@code _runtime},
 * anything starting with {@code _}) are never labelled: they describe the row, not the rank.
 */
final class KeyLabels {

  private final String prefix;
  private final boolean label;
  /** Block key lists seen, labelled: the same list object for the same keys, so rows compare fast. */
  private final Map<List<String>, List<String>> blockKeys = new HashMap<>();

  KeyLabels(int rank, boolean label) {
    this.prefix = "rank" + rank + "/";
    this.label = label;
  }

  static boolean reserved(String key) {
    return key.startsWith("_");
  }

  String key(String key) {
    return !label || key.isEmpty() || reserved(key) ? key : prefix + key;
  }

  /** The labelled form of a block's keys; one list per distinct key list. */
  List<String> keys(List<String> keys) {
    List<String> labelled = blockKeys.get(keys);
    if (labelled == null) {
      List<String> made = new ArrayList<>(keys.size());
      for (String key : keys) {
        made.add(key(key));
      }
      labelled = List.copyOf(made);
      if (blockKeys.size() < 256) { // a rank with ever-changing keys must not grow this
        blockKeys.put(List.copyOf(keys), labelled);
      }
    }
    return labelled;
  }

  /** An item under its labelled key (a nested key's first element is labelled). */
  HistoryItem item(HistoryItem item) {
    if (!label) {
      return item;
    }
    if (!item.getKey().isEmpty()) {
      String key = key(item.getKey());
      return key.equals(item.getKey()) ? item : item.toBuilder().setKey(key).build();
    }
    if (item.getNestedKeyCount() == 0) {
      return item;
    }
    String first = key(item.getNestedKey(0));
    return first.equals(item.getNestedKey(0)) ? item : item.toBuilder().setNestedKey(0, first).build();
  }

  List<HistoryItem> items(List<HistoryItem> items) {
    if (!label) {
      return items;
    }
    List<HistoryItem> labelled = new ArrayList<>(items.size());
    for (HistoryItem item : items) {
      labelled.add(item(item));
    }
    return labelled;
  }
}
