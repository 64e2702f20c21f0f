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
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records as ranks' clients send them, and the rows the Handler would see, for the tests. */
final class RankRecords {

  private RankRecords() {}

  /** A log_rows block: {@code rows} rows of {@code keys}, row r's value for key k = {@code value(r, k)}. */
  static Record block(List<String> keys, int rows, java.util.function.BiFunction<Integer, Integer, String> value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] length = new byte[5];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < keys.size(); k++) {
        byte[] text = value.apply(r, k).getBytes(StandardCharsets.UTF_8);
        int end = ValueCursor.putLength(length, 0, text.length);
        out.write(length, 0, end);
        out.write(text, 0, text.length);
      }
    }
    return Record.newBuilder()
        .setRequest(
            Request.newBuilder()
                .setLogRows(
                    HistoryRows.newBuilder()
                        .addAllKey(keys)
                        .setValues(ByteString.copyFrom(out.toByteArray()))))
        .build();
  }

  /** One log() call: items, an explicit step when {@code step >= 0}, commit when given. */
  static Record log(Map<String, String> items, long step, Boolean commit) {
    PartialHistoryRequest.Builder partial = PartialHistoryRequest.newBuilder();
    items.forEach((k, v) -> partial.addItem(HistoryItem.newBuilder().setKey(k).setValueJson(v)));
    if (step >= 0) {
      partial.setStep(HistoryStep.newBuilder().setNum(step));
    }
    if (commit != null) {
      partial.setAction(HistoryAction.newBuilder().setFlush(commit));
    }
    return Record.newBuilder().setRequest(Request.newBuilder().setPartialHistory(partial)).build();
  }

  static Record summary(String key, String json) {
    return Record.newBuilder()
        .setSummary(SummaryRecord.newBuilder().addUpdate(SummaryItem.newBuilder().setKey(key).setValueJson(json)))
        .build();
  }

  static Record exit(int code) {
    return Record.newBuilder().setExit(RunExitRecord.newBuilder().setExitCode(code)).build();
  }

  /**
   * The history rows the records stand for, as the Handler will make them: step -> key -> JSON,
   * following the blocks' implicit steps and the partial_history explicit ones.
   */
  static Map<Long, Map<String, String>> rows(List<Record> records) {
    Map<Long, Map<String, String>> rows = new LinkedHashMap<>();
    long step = 0;
    for (Record record : records) {
      if (!record.hasRequest()) {
        continue;
      }
      if (record.getRequest().hasLogRows()) {
        HistoryRows block = record.getRequest().getLogRows();
        ValueCursor cursor = new ValueCursor(block.getValues().toByteArray());
        List<String> keys = block.getKeyList();
        while (cursor.next()) {
          Map<String, String> row = new LinkedHashMap<>();
          for (int k = 0; k < keys.size(); k++) {
            if (k > 0) {
              cursor.next();
            }
            row.put(keys.get(k), new String(cursor.bytes(), cursor.start(), cursor.end() - cursor.start(), StandardCharsets.UTF_8));
          }
          if (rows.put(step, row) != null) {
            throw new AssertionError("two rows at step " + step);
          }
          step++;
        }
      } else if (record.getRequest().hasPartialHistory()) {
        PartialHistoryRequest partial = record.getRequest().getPartialHistory();
        if (partial.hasStep()) {
          if (partial.getStep().getNum() < step) {
            throw new AssertionError("a step going back: " + partial.getStep().getNum() + " after " + step);
          }
          step = partial.getStep().getNum();
        }
        if (partial.getItemCount() > 0) {
          Map<String, String> row = new LinkedHashMap<>();
          for (HistoryItem item : partial.getItemList()) {
            row.put(item.getKey().isEmpty() ? String.join(".", item.getNestedKeyList()) : item.getKey(), item.getValueJson());
          }
          if (!partial.getAction().getFlush()) {
            throw new AssertionError("the coordinator sends only committed rows");
          }
          if (rows.put(step, row) != null) {
            throw new AssertionError("two rows at step " + step);
          }
          step++;
        }
      }
    }
    return rows;
  }

  static List<Record> of(Record... records) {
    return new ArrayList<>(List.of(records));
  }
}
