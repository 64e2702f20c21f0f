package dev.runbus.handler;

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
   * Rows in {@code block}, or -1 when it is malformed: no keys, values that do not fill whole rows,
   * or value ends that run backwards or past the bytes.
   */
  static int rowCount(HistoryRows block) {
    int width = block.getKeyCount();
    int values = block.getValueEndCount();
    if (width == 0 || values % width != 0) {
      return -1;
    }
    int previous = 0;
    for (int k = 0; k < values; k++) {
      int end = block.getValueEnd(k);
      if (end < previous) {
        return -1;
      }
      previous = end;
    }
    return previous == block.getValues().size() ? values / width : -1;
  }

  @Override
  public void handle(Record record, RecordSink out) {
    HistoryRows block = record.getRequest().getLogRows();
    int count = rowCount(block);
    if (count <= 0) {
      state.countIgnored(); // a malformed block from a foreign client: nothing in it is a row
      return;
    }
    state.countIn(count - 1); // one per log() call, as if each had come alone
    byte[] values = block.getValues().toByteArray();
    if (state.stepper.hasPending() || !state.metrics.isEmpty()) {
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
    for (int r = 0, k = 0; r < count; r++) {
      PartialHistoryRequest.Builder partial = PartialHistoryRequest.newBuilder();
      for (int j = 0; j < width; j++, k++) {
        partial.addItem(item(block.getKey(j), text(block, values, k)));
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
    List<HistoryItem> row = new ArrayList<>(width + 1);
    for (int j = 0, k = (count - 1) * width; j < width; j++, k++) {
      row.add(item(block.getKey(j), text(block, values, k)));
    }
    row.add(item(STEP, Long.toString(step)));
    return row;
  }

  /** Value {@code k} of the block as text. */
  static String text(HistoryRows block, byte[] values, int k) {
    int start = k == 0 ? 0 : block.getValueEnd(k - 1);
    return new String(values, start, block.getValueEnd(k) - start, StandardCharsets.UTF_8);
  }

  private static HistoryItem item(String key, String json) {
    return HistoryItem.newBuilder().setKey(key).setValueJson(json).build();
  }
}
