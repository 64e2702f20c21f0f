package dev.runbus.handler;

import dev.runbus.bus.ValueCursor;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryRows;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * §2.3 for one rank of a run with several writers: turns the rank's history records into complete
 * rows at the rank's own steps, as a Handler would for a run of its own, so that a run's
 * coordinator can merge the ranks' rows by step. A block's rows stay as slices of its bytes.
 */
public final class RankRowStepper {

  /** Receives each complete row of the rank. */
  public interface Rows {
    /**
     * A row of a block: {@code width} values, each a varint length and JSON text, in {@code
     * values[start, end)}, in the order of {@code keys}. The arrays are never changed afterwards.
     */
    void blockRow(long step, List<String> keys, byte[] values, int start, int end);

    /** A row of items (no {@code _step}). The list is never changed afterwards. */
    void itemRow(long step, List<HistoryItem> items);
  }

  private static final RecordSink NOWHERE = record -> {};

  private final HistoryStepper stepper;

  public RankRowStepper(long startingStep) {
    this.stepper = new HistoryStepper(startingStep);
  }

  /** Whether {@code record} is history this stepper takes. */
  public static boolean isHistory(Record record) {
    return record.hasHistory()
        || (record.hasRequest()
            && (record.getRequest().hasPartialHistory() || record.getRequest().hasLogRows()));
  }

  /** The next step the rank's next committed row gets; every step below it is complete. */
  public long currentStep() {
    return stepper.currentStep();
  }

  /** Rows dropped: an explicit step lower than the rank's current one, as §2.3 drops them. */
  public long droppedRows() {
    return stepper.droppedRows();
  }

  /**
   * Takes one history record of the rank.
   *
   * @throws IllegalArgumentException for a malformed block (names what is wrong)
   */
  public void offer(Record record, Rows rows) {
    if (record.hasHistory()) {
      HistoryRecord history = record.getHistory();
      if (stepper.canAssign(history)) {
        long step = stepper.assignStep(history);
        List<HistoryItem> items = new ArrayList<>(history.getItemCount());
        for (HistoryItem item : history.getItemList()) {
          if (!item.getKey().equals("_step")) {
            items.add(item);
          }
        }
        rows.itemRow(step, items);
      }
      return;
    }
    if (record.getRequest().hasPartialHistory()) {
      stepper.offer(
          record.getRequest().getPartialHistory(),
          (items, step, out) -> rows.itemRow(step, items),
          NOWHERE);
      return;
    }
    block(record.getRequest().getLogRows(), rows);
  }

  /** Flushes the rank's pending row (commit=false) at its step: the rank finished or left. */
  public void flush(Rows rows) {
    stepper.flushPending((items, step, out) -> rows.itemRow(step, items), NOWHERE);
  }

  private void block(HistoryRows block, Rows rows) {
    byte[] values = block.getValues().toByteArray();
    int width = block.getKeyCount();
    int count = width == 0 ? -1 : LogRowsHandler.rowCount(block);
    if (count < 0) {
      throw new IllegalArgumentException(
          "a log_rows block is malformed: its values do not fill whole rows of "
              + width
              + " keys");
    }
    if (count == 0) {
      return;
    }
    List<String> keys = block.getKeyList();
    if (!stepper.hasPending() && stepper.canAdvance(count)) {
      long first = stepper.advance(count);
      ValueCursor cursor = new ValueCursor(values);
      int rowStart = 0;
      for (int r = 0; r < count; r++) {
        for (int j = 0; j < width; j++) {
          cursor.next();
        }
        rows.blockRow(first + r, keys, values, rowStart, cursor.end());
        rowStart = cursor.end();
      }
      return;
    }
    // something is pending (or the steps run out): each row as the log() call it stands for
    ValueCursor cursor = new ValueCursor(values);
    for (int r = 0; r < count; r++) {
      PartialHistoryRequest.Builder partial = PartialHistoryRequest.newBuilder();
      for (int j = 0; j < width; j++) {
        cursor.next();
        partial.addItem(
            HistoryItem.newBuilder()
                .setKey(keys.get(j))
                .setValueJson(
                    new String(
                        values,
                        cursor.start(),
                        cursor.end() - cursor.start(),
                        StandardCharsets.UTF_8)));
      }
      stepper.offer(partial.build(), (items, step, out) -> rows.itemRow(step, items), NOWHERE);
    }
  }
}
