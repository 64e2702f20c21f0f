package dev.runbus.handler;

import dev.runbus.proto.HistoryAction;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryStep;
import dev.runbus.MetricDefinition;
import dev.runbus.proto.MetricRecord;
import dev.runbus.proto.MetricSummary;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Builders for the records tests feed the Handler, and readers for what it emits. */
final class Fixtures {
  private Fixtures() {}

  static HistoryItem item(String key, String json) {
    return HistoryItem.newBuilder().setKey(key).setValueJson(json).build();
  }

  /** Items from alternating key, JSON-text pairs. */
  static List<HistoryItem> items(String... keysAndJson) {
    List<HistoryItem> items = new ArrayList<>();
    for (int i = 0; i < keysAndJson.length; i += 2) {
      items.add(item(keysAndJson[i], keysAndJson[i + 1]));
    }
    return items;
  }

  /** A log() call as the client sends it. */
  static final class Log {
    private final PartialHistoryRequest.Builder request = PartialHistoryRequest.newBuilder();

    static Log of(String... keysAndJson) {
      Log log = new Log();
      log.request.addAllItem(items(keysAndJson));
      return log;
    }

    Log step(long step) {
      request.setStep(HistoryStep.newBuilder().setNum(step));
      return this;
    }

    Log commit(boolean commit) {
      request.setAction(HistoryAction.newBuilder().setFlush(commit));
      return this;
    }

    Record record() {
      return Record.newBuilder()
          .setRequest(Request.newBuilder().setPartialHistory(request))
          .build();
    }

    @Override
    public String toString() {
      return request.build().toString().replace('\n', ' ');
    }
  }

  static Record history(HistoryRecord history) {
    return Record.newBuilder().setHistory(history).build();
  }

  static MetricRecord.Builder metric(String name) {
    return MetricRecord.newBuilder().setName(name);
  }

  static MetricRecord.Builder glob(String globName) {
    return MetricRecord.newBuilder().setGlobName(globName);
  }

  /** A summary string as the client sends it, e.g. "min,max". */
  static MetricSummary summary(String flags) {
    return flags.isBlank()
        ? MetricSummary.getDefaultInstance()
        : MetricDefinition.of("any").summary(flags).toRecord().getSummary();
  }


  static Record metricRecord(MetricRecord.Builder metric) {
    return Record.newBuilder().setMetric(metric).build();
  }

  static SummaryItem summaryItem(String json, String... path) {
    SummaryItem.Builder item = SummaryItem.newBuilder().setValueJson(json);
    if (path.length == 1) {
      item.setKey(path[0]);
    } else {
      item.addAllNestedKey(List.of(path));
    }
    return item.build();
  }

  static Record summaryUpdate(String json, String... path) {
    return Record.newBuilder()
        .setSummary(SummaryRecord.newBuilder().addUpdate(summaryItem(json, path)))
        .build();
  }

  static Record summaryRemove(String... path) {
    return Record.newBuilder()
        .setSummary(SummaryRecord.newBuilder().addRemove(summaryItem("", path)))
        .build();
  }

  /** A history record's items by key, in order. */
  static Map<String, String> rowOf(HistoryRecord history) {
    Map<String, String> row = new LinkedHashMap<>();
    for (HistoryItem item : history.getItemList()) {
      String previous = row.put(item.getKey(), item.getValueJson());
      if (previous != null) {
        throw new AssertionError("duplicate key " + item.getKey() + " in " + history);
      }
    }
    return row;
  }

  /**
   * "step: k=v, k=v" for a history record, leaving out the handler-added {@code _step} after
   * checking it agrees with {@code step.num}.
   */
  static String describe(HistoryRecord history) {
    Map<String, String> row = rowOf(history);
    String step = row.remove("_step");
    if (!Long.toString(history.getStep().getNum()).equals(step)) {
      throw new AssertionError("_step " + step + " != step.num in " + history);
    }
    StringJoiner items = new StringJoiner(", ", step + ": ", "");
    row.forEach((k, v) -> items.add(k + "=" + v));
    return items.toString();
  }

  /** Collects what the Handler emits. */
  static final class RecordingSink implements RecordSink {
    final List<Record> records = new ArrayList<>();

    @Override
    public void emit(Record record) {
      records.add(record);
    }

    List<HistoryRecord> histories() {
      List<HistoryRecord> histories = new ArrayList<>();
      for (Record record : records) {
        if (record.hasHistory()) {
          histories.add(record.getHistory());
        }
      }
      return histories;
    }

    List<String> describedRows() {
      List<String> rows = new ArrayList<>();
      for (HistoryRecord history : histories()) {
        rows.add(describe(history));
      }
      return rows;
    }

    List<Record.RecordTypeCase> types() {
      List<Record.RecordTypeCase> types = new ArrayList<>();
      for (Record record : records) {
        types.add(record.getRecordTypeCase());
      }
      return types;
    }
  }
}
