package dev.runbus.handler;

import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.Record;
import java.util.ArrayList;
import java.util.List;

/** A ready-made history record (e.g. replayed): §2.2 step assignment, then the row pipeline. */
final class HistoryHandler implements RecordHandler {
  private final RunState state;
  private final HistoryRowPipeline rows;

  HistoryHandler(RunState state, HistoryRowPipeline rows) {
    this.state = state;
    this.rows = rows;
  }

  @Override
  public void handle(Record record, RecordSink out) {
    HistoryRecord history = record.getHistory();
    if (!state.stepper.canAssign(history)) {
      return; // no step is left after Long.MAX_VALUE: dropped and counted
    }
    long step = state.stepper.assignStep(history);
    rows.finish(record, withoutStepItem(history.getItemList()), step, out);
  }

  /** A replayed row already carries {@code _step}; the pipeline appends the assigned one. */
  private static List<HistoryItem> withoutStepItem(List<HistoryItem> items) {
    List<HistoryItem> kept = null;
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).getKey().equals("_step")) {
        if (kept == null) {
          kept = new ArrayList<>(items.subList(0, i));
        }
      } else if (kept != null) {
        kept.add(items.get(i));
      }
    }
    return kept == null ? items : kept;
  }
}
