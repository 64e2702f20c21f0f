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
 *
 * <p>Steps are longs: once a row was emitted at {@code Long.MAX_VALUE} there is no next step, and
 * rather than wrap to a negative one (an invalid log), every later row is dropped and counted, as a
 * row at a lower step is. The client refuses such rows first; this guards against other clients.
 */
final class HistoryStepper {
  /** Pending items by key, ordered by first insertion; a later value replaces an earlier one. */
  private final LinkedHashMap<String, HistoryItem> pending = new LinkedHashMap<>();

  private long current;
  private boolean exhausted; // a row was emitted at Long.MAX_VALUE: current is one past the last
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
    if (exhausted) {
      // every step is lower than one past Long.MAX_VALUE, and a row without one has none left
      droppedRows++;
      return false;
    }
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
    if (!canAdvance(rows)) {
      throw new IllegalStateException("no " + rows + " steps are left after step " + current);
    }
    long first = current;
    next(rows);
    return first;
  }

  /** Whether {@code rows} rows fit at the next steps, the last one at {@code Long.MAX_VALUE}. */
  boolean canAdvance(int rows) {
    return !exhausted && rows - 1 <= Long.MAX_VALUE - current;
  }

  /** Moves past {@code rows} steps from the current one; past the last one, stays exhausted. */
  private void next(long rows) {
    if (rows - 1 == Long.MAX_VALUE - current) {
      current = Long.MAX_VALUE;
      exhausted = true;
    } else {
      current += rows;
    }
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
      current = history.getStep().getNum();
      exhausted = false;
      next(1);
      return history.getStep().getNum();
    }
    long step = current;
    next(1);
    return step;
  }

  /** Whether {@link #assignStep} has a step for {@code history}: its own, or one left. */
  boolean canAssign(HistoryRecord history) {
    if (!history.hasStep() && exhausted) {
      droppedRows++;
      return false;
    }
    return true;
  }

  private void emit(List<HistoryItem> row, RowSink rows, RecordSink out) {
    long step = current;
    next(1);
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
