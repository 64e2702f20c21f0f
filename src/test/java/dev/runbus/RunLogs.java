package dev.runbus;

import dev.runbus.log.LogEntry;
import dev.runbus.log.LogReader;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.Record;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading back what a run wrote, for assertions. */
public final class RunLogs {

  private RunLogs() {}

  public static List<Record> records(Path log) throws IOException {
    List<Record> records = new ArrayList<>();
    try (LogReader reader = LogReader.open(log)) {
      LogEntry entry;
      while ((entry = reader.next()) != null) {
        records.add(Record.parseFrom(entry.payload()));
      }
      if (reader.tornTail() != null) {
        throw new AssertionError("unexpected torn tail in " + log + ": " + reader.tornTail());
      }
    }
    return records;
  }

  public static List<String> types(List<Record> records) {
    List<String> types = new ArrayList<>();
    for (Record r : records) {
      types.add(r.getRecordTypeCase().name().toLowerCase(java.util.Locale.ROOT));
    }
    return types;
  }

  /** The history rows, each as key → value_json. */
  public static List<Map<String, String>> history(List<Record> records) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Record r : records) {
      if (r.hasHistory()) {
        rows.add(items(r.getHistory()));
      }
    }
    return rows;
  }

  public static Map<String, String> items(HistoryRecord history) {
    Map<String, String> row = new LinkedHashMap<>();
    for (HistoryItem item : history.getItemList()) {
      row.put(item.getKey(), item.getValueJson());
    }
    return row;
  }

  public static Settings.Builder quietOffline(Path dir) {
    return Settings.builder().dir(dir).mode(Mode.OFFLINE).quiet(true).environment(Map.of());
  }
}
