package dev.runbus.ranks;

import com.google.protobuf.ByteString;
import dev.runbus.bus.ValueCursor;
import dev.runbus.proto.HistoryAction;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRows;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the steps that left the merge window into the records the run's Handler takes, so the
 * Handler applies W&B's rules to the merged rows as to any client's: consecutive steps whose rows
 * all came from blocks with the same keys become one {@code log_rows} block (the Handler's fast
 * path; values copied as bytes, never parsed); any other step becomes a {@code partial_history}
 * with its explicit step, committed.
 *
 * <p>Within a step the lowest rank's value wins a clash of keys (merged keys, or the reserved
 * ones such as {@code _timestamp}); {@code _runtime} is dropped, so the Handler measures it from
 * the run's start rather than from each rank's own.
 */
final class MergedRows {

  private static final String RUNTIME = "_runtime";

  /**
   * A merged block holds at most this many steps and about this many bytes of values, as a
   * client's blocks do: a window released at once (a straggler caught up) becomes many small
   * records, never one that the Handler must take whole.
   */
  static final int MAX_BLOCK_ROWS = 512;

  static final long MAX_BLOCK_BYTES = 1 << 20;

  /** The step the Handler will give the next row without being told. */
  private long handlerStep;

  MergedRows(long startingStep) {
    this.handlerStep = startingStep;
  }

  /** Records for {@code slots}, in order. */
  List<Record> encode(List<StepMerger.Slot> slots) {
    List<Record> out = new ArrayList<>();
    int i = 0;
    while (i < slots.size()) {
      StepMerger.Slot first = slots.get(i);
      if (!allBlocks(first)) {
        out.add(itemsRow(first));
        handlerStep = first.step + 1;
        i++;
        continue;
      }
      int end = i + 1;
      long bytes = valueBytes(first);
      while (end < slots.size()
          && end - i < MAX_BLOCK_ROWS
          && bytes < MAX_BLOCK_BYTES
          && slots.get(end).step == slots.get(end - 1).step + 1
          && sameShape(first, slots.get(end))) {
        bytes += valueBytes(slots.get(end));
        end++;
      }
      if (first.step != handlerStep) {
        out.add(moveTo(first.step));
      }
      out.add(block(slots.subList(i, end)));
      handlerStep = slots.get(end - 1).step + 1;
      i = end;
    }
    return out;
  }

  private static long valueBytes(StepMerger.Slot slot) {
    long bytes = 0;
    for (RankRow row : slot.rows) {
      bytes += row.end() - row.start();
    }
    return bytes;
  }

  private static boolean allBlocks(StepMerger.Slot slot) {
    for (RankRow row : slot.rows) {
      if (!row.isBlock()) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameShape(StepMerger.Slot a, StepMerger.Slot b) {
    if (a.rows.size() != b.rows.size()) {
      return false;
    }
    for (int r = 0; r < a.rows.size(); r++) {
      RankRow x = a.rows.get(r);
      RankRow y = b.rows.get(r);
      if (!y.isBlock() || x.rank() != y.rank() || x.keys() != y.keys()) {
        return false;
      }
    }
    return true;
  }

  /** An empty log() at {@code step}: moves the Handler's step there without a row. */
  private static Record moveTo(long step) {
    return Record.newBuilder()
        .setRequest(
            Request.newBuilder()
                .setPartialHistory(
                    PartialHistoryRequest.newBuilder()
                        .setStep(HistoryStep.newBuilder().setNum(step))
                        .setAction(HistoryAction.newBuilder().setFlush(false))))
        .build();
  }

  /** Steps of one shape as one block: the kept keys once, then each step's kept values. */
  private static Record block(List<StepMerger.Slot> slots) {
    List<RankRow> shape = slots.get(0).rows;
    boolean[][] keep = new boolean[shape.size()][];
    HistoryRows.Builder rows = HistoryRows.newBuilder();
    Set<String> seen = new HashSet<>();
    for (int r = 0; r < shape.size(); r++) {
      List<String> keys = shape.get(r).keys();
      keep[r] = new boolean[keys.size()];
      for (int k = 0; k < keys.size(); k++) {
        String key = keys.get(k);
        if (!key.equals(RUNTIME) && seen.add(key)) {
          keep[r][k] = true;
          rows.addKey(key);
        }
      }
    }
    int capacity = 0;
    for (StepMerger.Slot slot : slots) {
      for (RankRow row : slot.rows) {
        capacity += row.end() - row.start();
      }
    }
    byte[] out = new byte[capacity];
    int at = 0;
    for (StepMerger.Slot slot : slots) {
      for (int r = 0; r < slot.rows.size(); r++) {
        RankRow row = slot.rows.get(r);
        boolean[] kept = keep[r];
        int position = row.start();
        for (int k = 0; k < kept.length; k++) {
          int valueEnd = skipValue(row.values(), position);
          if (kept[k]) {
            System.arraycopy(row.values(), position, out, at, valueEnd - position);
            at += valueEnd - position;
          }
          position = valueEnd;
        }
      }
    }
    rows.setValues(ByteString.copyFrom(out, 0, at));
    return Record.newBuilder().setRequest(Request.newBuilder().setLogRows(rows)).build();
  }

  /** The position after the value (varint length and text) starting at {@code position}. */
  private static int skipValue(byte[] values, int position) {
    int length = 0;
    int shift = 0;
    byte b;
    do {
      b = values[position++];
      length |= (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0);
    return position + length;
  }

  /** A step whose rows are not all block rows: one committed log() at that step. */
  private static Record itemsRow(StepMerger.Slot slot) {
    PartialHistoryRequest.Builder partial =
        PartialHistoryRequest.newBuilder()
            .setStep(HistoryStep.newBuilder().setNum(slot.step))
            .setAction(HistoryAction.newBuilder().setFlush(true));
    Set<String> seen = new HashSet<>();
    for (RankRow row : slot.rows) {
      if (row.isBlock()) {
        ValueCursor cursor = new ValueCursor(Arrays.copyOfRange(row.values(), row.start(), row.end()));
        for (String key : row.keys()) {
          cursor.next();
          if (!key.equals(RUNTIME) && seen.add(key)) {
            partial.addItem(
                HistoryItem.newBuilder()
                    .setKey(key)
                    .setValueJson(
                        new String(
                            cursor.bytes(),
                            cursor.start(),
                            cursor.end() - cursor.start(),
                            StandardCharsets.UTF_8)));
          }
        }
      } else {
        for (HistoryItem item : row.items()) {
          String key =
              item.getKey().isEmpty() ? String.join("\u0000", item.getNestedKeyList()) : item.getKey();
          if (!key.equals(RUNTIME) && seen.add(key)) {
            partial.addItem(item);
          }
        }
      }
    }
    return Record.newBuilder().setRequest(Request.newBuilder().setPartialHistory(partial)).build();
  }
}
