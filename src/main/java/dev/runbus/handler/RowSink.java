package dev.runbus.handler;

import dev.runbus.proto.HistoryItem;
import java.util.List;

/** Receives each history row the stepper decides to flush, with the step it belongs to. */
@FunctionalInterface
interface RowSink {
  /**
   * @param items the row's items as logged (no {@code _step}); nobody changes the list afterwards,
   *     so a sink may keep it (to compare the next row's keys with it)
   * @param step the row's step
   * @param out where the finished records go
   */
  void row(List<HistoryItem> items, long step, RecordSink out);
}
