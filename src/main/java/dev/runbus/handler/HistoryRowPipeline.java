package dev.runbus.handler;

import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * §2.3 "flushing a row": complete it ({@code _runtime}, {@code _step}, glob and step_sync metric
 * processing), emit it, then feed the sampler and the summary. The emitted record is what the log
 * stores, so it must be complete.
 */
final class HistoryRowPipeline implements RowSink {
  private static final String STEP = "_step";
  private static final String RUNTIME = "_runtime";
  private static final String TIMESTAMP = "_timestamp";

  private final RunState state;
  private final RowResolver resolver;

  // Rows usually repeat the previous row's keys: one comparison per row, shared by all steps.
  private List<HistoryItem> previousItems;
  private int timestampIndex = -1;
  private boolean itemsHaveRuntime;
  private boolean previousRuntimeAdded;
  private List<String> previousSynced;

  HistoryRowPipeline(RunState state) {
    this.state = state;
    this.resolver = new RowResolver(state.metrics);
  }

  @Override
  public void row(List<HistoryItem> items, long step, RecordSink out) {
    finish(null, items, step, out);
  }

  /**
   * @param original a ready-made history record whose envelope (control, uuid, info) is kept, or
   *     null for a row built from log() requests
   * @param items the row without {@code _step}
   */
  void finish(Record original, List<HistoryItem> items, long step, RecordSink out) {
    boolean sameItemKeys = RowShapes.sameKeys(previousItems, items);
    previousItems = items;
    if (!sameItemKeys) {
      findRuntimeAndTimestamp(items);
    }
    HistoryRecord.Builder history =
        original == null
            ? HistoryRecord.newBuilder()
            : original.getHistory().toBuilder().clearItem();
    history.addAllItem(items);
    boolean runtimeAdded =
        !itemsHaveRuntime && timestampIndex >= 0 && addRuntime(history, items.get(timestampIndex));
    history.addItem(HistoryItem.newBuilder().setKey(STEP).setValueJson(Long.toString(step)));
    history.setStep(HistoryStep.newBuilder().setNum(step));
    List<String> synced =
        state.metrics.isEmpty() ? null : applyDefinitions(items, sameItemKeys, history, out);
    HistoryRecord built = history.build();
    Record.Builder record = original == null ? Record.newBuilder() : original.toBuilder();
    state.emit(out, record.setHistory(built).build());
    state.historyRowEmitted(step);

    // the full row repeats the previous one's keys when the items and the additions do
    boolean sameKeys =
        sameItemKeys
            && runtimeAdded == previousRuntimeAdded
            && Objects.equals(synced, previousSynced);
    previousRuntimeAdded = runtimeAdded;
    previousSynced = synced;
    List<HistoryItem> row = built.getItemList();
    state.sampler.add(row, sameKeys);
    state.summary.updateFromRow(row, sameKeys);
  }

  /** Rows went past this pipeline (a block): the next row is compared with nothing. */
  void forgetPreviousRow() {
    previousItems = null;
  }

  private void findRuntimeAndTimestamp(List<HistoryItem> items) {
    itemsHaveRuntime = false;
    timestampIndex = -1;
    for (int i = 0, n = items.size(); i < n; i++) {
      String key = items.get(i).getKey();
      if (!key.isEmpty() && key.charAt(0) == '_') {
        if (key.equals(RUNTIME)) {
          itemsHaveRuntime = true;
        } else if (key.equals(TIMESTAMP)) {
          timestampIndex = i;
        }
      }
    }
  }

  /**
   * §2.2: {@code _runtime = _timestamp - run start}, only when the client did not send one.
   *
   * @return whether it was added
   */
  private boolean addRuntime(HistoryRecord.Builder history, HistoryItem timestamp) {
    double seconds;
    try {
      seconds = JsonScalars.parseNumber(timestamp.getValueJson());
    } catch (NumberFormatException e) {
      return false;
    }
    history.addItem(
        HistoryItem.newBuilder()
            .setKey(RUNTIME)
            .setValueJson(JsonScalars.formatDouble(seconds - state.runStartEpochSeconds())));
    return true;
  }

  /**
   * §2.5: resolves each key (expanding globs, whose records go out before the row), remembers
   * step-metric values, and inserts a missing step metric for step_sync definitions.
   *
   * @return the step-metric keys inserted, or null
   */
  private List<String> applyDefinitions(
      List<HistoryItem> items,
      boolean sameItemKeys,
      HistoryRecord.Builder history,
      RecordSink out) {
    MetricDefinitions metrics = state.metrics;
    ResolvedKey[] resolvedKeys = resolver.resolve(items, sameItemKeys);
    List<String> syncKeys = null;
    for (int i = 0, n = items.size(); i < n; i++) {
      ResolvedKey resolved = resolvedKeys[i];
      if (resolved == ResolvedKey.NONE) {
        continue;
      }
      HistoryItem item = items.get(i);
      if (resolved.stepMetric()) {
        state.stepMetricValues.put(item.getKey(), item);
      }
      String syncKey = resolved.syncKey();
      if (syncKey != null) {
        if (syncKeys == null) {
          syncKeys = new ArrayList<>(2);
        }
        if (!syncKeys.contains(syncKey)) {
          syncKeys.add(syncKey);
        }
      }
    }
    for (Record produced; (produced = metrics.pollProduced()) != null; ) {
      state.emit(out, produced);
    }
    if (syncKeys == null) {
      return null;
    }
    List<String> synced = null;
    for (String syncKey : syncKeys) {
      if (!contains(history, syncKey)) {
        HistoryItem last = lastValue(syncKey);
        if (last != null) {
          history.addItem(last);
          if (synced == null) {
            synced = new ArrayList<>(syncKeys.size());
          }
          synced.add(syncKey);
        }
      }
    }
    return synced;
  }

  /** The last top-level value seen for a step metric, or from the summary if it came earlier. */
  private HistoryItem lastValue(String key) {
    HistoryItem last = state.stepMetricValues.get(key);
    if (last == null) {
      String json = state.summary.topLevelLeaf(key);
      if (json != null) {
        last = HistoryItem.newBuilder().setKey(key).setValueJson(json).build();
      }
    }
    return last;
  }

  private static boolean contains(HistoryRecord.Builder history, String key) {
    for (int i = 0, n = history.getItemCount(); i < n; i++) {
      if (history.getItem(i).getKey().equals(key)) {
        return true;
      }
    }
    return false;
  }
}
