package dev.runbus.handler;

import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.PartialHistoryRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * §2.3: turns log() requests into history rows. Holds the pending (uncommitted) row and the current
 * step; decides when a row is flushed and at which step.
 */
final class HistoryStepper {
  /** Pending items by key, ordered by first insertion; a later value replaces an earlier one. */
  private final LinkedHashMap<String, HistoryItem> pending = new LinkedHashMap<>();

  private long current;
  private long droppedRows;

  HistoryStepper(long startingStep) {
    this.current = startingStep;
  }

  long currentStep() {
    return current;
  }

  long droppedRows() {
    return droppedRows;
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  /** §2.2: a resumed run continues at the server's next step. */
  void startAt(long step) {
    current = step;
  }

  /**
   * Applies one log() request, flushing 0, 1 or 2 rows into {@code rows}.
   *
   * @return false when the request was dropped because its explicit step is below the current step
   *     (the caller warns)
   */
  boolean offer(PartialHistoryRequest request, RowSink rows, RecordSink out) {
    boolean explicitStep = request.hasStep();
    if (explicitStep) {
      long step = request.getStep().getNum();
      if (step < current) {
        // §2.3: a lower explicit step drops the whole request
        droppedRows++;
        return false;
      }
      if (step > current) {
        // §2.3: a higher step first closes the pending row at the old step
        flushPending(rows, out);
        current = step;
      }
    }
    // §2.3: commit decides when given; otherwise a row is committed iff no step was given
    boolean flush = request.hasAction() ? request.getAction().getFlush() : !explicitStep;
    if (flush && pending.isEmpty()) {
      // fast path: the request is the whole row, no merge map needed
      if (request.getItemCount() > 0) {
        emit(request.getItemList(), rows, out);
      }
      return true;
    }
    for (int i = 0, n = request.getItemCount(); i < n; i++) {
      HistoryItem item = request.getItem(i);
      pending.put(pendingKey(item), item);
    }
    if (flush) {
      flushPending(rows, out);
    }
    return true;
  }

  /**
   * Steps for {@code rows} rows that each commit at once, with nothing pending: §2.3 gives them the
   * next steps in turn.
   *
   * @return the first row's step
   */
  long advance(int rows) {
    if (!pending.isEmpty()) {
      throw new IllegalStateException("rows are pending; they are flushed first");
    }
    long first = current;
    current += rows;
    return first;
  }

  /** Emits the pending row, if any, at the current step (used by later steps and at exit). */
  void flushPending(RowSink rows, RecordSink out) {
    if (pending.isEmpty()) {
      return;
    }
    List<HistoryItem> row = new ArrayList<>(pending.values());
    pending.clear();
    emit(row, rows, out);
  }

  /**
   * §2.2 for a ready-made history record: its own step when set (the counter continues after it),
   * else the next step.
   */
  long assignStep(HistoryRecord history) {
    if (history.hasStep()) {
      current = history.getStep().getNum() + 1;
      return history.getStep().getNum();
    }
    return current++;
  }

  private void emit(List<HistoryItem> row, RowSink rows, RecordSink out) {
    long step = current++;
    rows.row(row, step, out);
  }

  /** Top-level keys as they are; nested paths in their own namespace (NUL never starts a key). */
  private static String pendingKey(HistoryItem item) {
    if (!item.getKey().isEmpty() || item.getNestedKeyCount() == 0) {
      return item.getKey();
    }
    return "\u0000" + String.join("\u0000", item.getNestedKeyList());
  }
}
