package dev.runbus.handler;

import dev.runbus.bus.ValueCursor;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRows;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.WriteRows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * §2.3 for a block of log() calls ({@code log_rows}): every row commits at the next step, so while
 * nothing is pending and no metric is defined, the block is complete as it stands. It goes to the
 * Writer as one {@code write_rows} record with its first step, and the sampler and the summary
 * take it in one pass. Otherwise each row is handled as the {@code partial_history} request it
 * stands for, so both ways end in the same history.
 */
final class LogRowsHandler implements RecordHandler {
  private static final String STEP = "_step";

  private final RunState state;
  private final HistoryRowPipeline rows;
  private final PartialHistoryHandler oneByOne;

  LogRowsHandler(RunState state, HistoryRowPipeline rows, PartialHistoryHandler oneByOne) {
    this.state = state;
    this.rows = rows;
    this.oneByOne = oneByOne;
  }

  /**
   * Rows in {@code block}, or -1 when it is malformed: no keys, a value cut off, or values that do
   * not fill whole rows.
   */
  static int rowCount(HistoryRows block) {
    return rowCount(block, block.getValues().toByteArray());
  }

  private static int rowCount(HistoryRows block, byte[] values) {
    int width = block.getKeyCount();
    int count;
    try {
      count = ValueCursor.count(values);
    } catch (IllegalArgumentException e) {
      return -1;
    }
    return width == 0 || count % width != 0 ? -1 : count / width;
  }

  @Override
  public void handle(Record record, RecordSink out) {
    HistoryRows block = record.getRequest().getLogRows();
    byte[] values = block.getValues().toByteArray();
    int count = rowCount(block, values);
    if (count <= 0) {
      state.countIgnored(); // a malformed block from a foreign client: nothing in it is a row
      return;
    }
    state.countIn(count - 1); // one per log() call, as if each had come alone
    if (state.stepper.hasPending()
        || !state.metrics.isEmpty()
        || !state.stepper.canAdvance(count)) { // one by one, the rows past the last step dropped
      handleOneByOne(block, values, count, out);
      return;
    }
    long first = state.stepper.advance(count);
    long last = first + count - 1;
    Record write =
        Record.newBuilder()
            .setRequest(
                Request.newBuilder()
                    .setWriteRows(WriteRows.newBuilder().setRows(block).setFirstStep(first)))
            .build();
    state.emitRows(out, write, count, last);
    rows.forgetPreviousRow();
    state.sampler.addRows(block, values, count, first);
    // numbers and booleans only: the summary is the last row's values
    state.summary.updateFromRow(lastRow(block, values, count, last), false);
  }

  private void handleOneByOne(HistoryRows block, byte[] values, int count, RecordSink out) {
    int width = block.getKeyCount();
    ValueCursor cursor = new ValueCursor(values);
    for (int r = 0; r < count; r++) {
      PartialHistoryRequest.Builder partial = PartialHistoryRequest.newBuilder();
      for (int j = 0; j < width; j++) {
        cursor.next();
        partial.addItem(item(block.getKey(j), text(cursor)));
      }
      oneByOne.handle(
          Record.newBuilder().setRequest(Request.newBuilder().setPartialHistory(partial)).build(),
          out);
    }
  }

  /** The block's last row as the pipeline would have emitted it: its items, then {@code _step}. */
  private static List<HistoryItem> lastRow(
      HistoryRows block, byte[] values, int count, long step) {
    int width = block.getKeyCount();
    ValueCursor cursor = new ValueCursor(values);
    for (int skip = (count - 1) * width; skip > 0; skip--) {
      cursor.next();
    }
    List<HistoryItem> row = new ArrayList<>(width + 1);
    for (int j = 0; j < width; j++) {
      cursor.next();
      row.add(item(block.getKey(j), text(cursor)));
    }
    row.add(item(STEP, Long.toString(step)));
    return row;
  }

  private static String text(ValueCursor cursor) {
    return new String(
        cursor.bytes(), cursor.start(), cursor.end() - cursor.start(), StandardCharsets.UTF_8);
  }

  private static HistoryItem item(String key, String json) {
    return HistoryItem.newBuilder().setKey(key).setValueJson(json).build();
  }
}
