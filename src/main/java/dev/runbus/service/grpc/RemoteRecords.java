package dev.runbus.service.grpc;

import dev.runbus.bus.ValueCursor;
import dev.runbus.json.LogValues;
import dev.runbus.proto.ConfigItem;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.HistoryRows;
import dev.runbus.proto.MetricRecord;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.proto.StatsItem;
import dev.runbus.proto.SummaryItem;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a remote client may publish into a run, checked before any of its batch is sent on: a
 * Java client's records are checked by the Java API before they exist, a remote client's only
 * here, and the Handler and Writer trust what reaches them. A malformed record refuses its whole
 * batch with INVALID_ARGUMENT naming the record and the problem, so nothing of it is written.
 *
 * <p>Allowed: rows ({@code partial_history} and {@code log_rows} requests, history records),
 * config, summary, metric, telemetry, output, stats, alert and exit records. Refused: the run
 * record (it travels in Attach), files (they name paths on the service's machine), the log's own
 * records (header, footer, final, preempting) and every other request (each has its own call).
 */
final class RemoteRecords {

  private RemoteRecords() {}

  /** Throws INVALID_ARGUMENT naming the first malformed record of {@code batch}. */
  static void check(RecordBatch batch) {
    List<Record> records = batch.getRecordList();
    for (int i = 0; i < records.size(); i++) {
      String problem = problem(records.get(i));
      if (problem != null) {
        throw new ServiceException(
            ServiceStatus.INVALID_ARGUMENT,
            "record " + i + " of the batch: " + problem + "; nothing of this batch was written");
      }
    }
  }

  /** Null if a remote client may publish {@code record}, else why not. */
  static String problem(Record record) {
    return switch (record.getRecordTypeCase()) {
      case HISTORY -> history(record.getHistory());
      case SUMMARY -> summary(record);
      case CONFIG -> config(record);
      case METRIC -> metric(record.getMetric());
      case STATS -> stats(record);
      case REQUEST -> request(record.getRequest());
      case TELEMETRY, OUTPUT, OUTPUT_RAW, ALERT, EXIT -> null;
      case RUN -> "a run record is sent in Attach, not published";
      case FILES -> "files records are not accepted from a remote client";
      case RECORDTYPE_NOT_SET -> "a record with no type";
      default ->
          "a "
              + record.getRecordTypeCase().name().toLowerCase(java.util.Locale.ROOT)
              + " record is written by the service itself";
    };
  }

  private static String request(Request request) {
    return switch (request.getRequestTypeCase()) {
      case PARTIAL_HISTORY -> partialHistory(request.getPartialHistory());
      case LOG_ROWS -> logRows(request.getLogRows());
      case RUN_START, POLL_EXIT, GET_SUMMARY, SAMPLED_HISTORY, FINISH ->
          "a "
              + request.getRequestTypeCase().name().toLowerCase(java.util.Locale.ROOT)
              + " request has its own call, not Publish";
      default ->
          "a "
              + request.getRequestTypeCase().name().toLowerCase(java.util.Locale.ROOT)
              + " request cannot be published";
    };
  }

  private static String partialHistory(PartialHistoryRequest row) {
    if (row.hasStep() && row.getStep().getNum() < 0) {
      return "partial_history step " + row.getStep().getNum() + " is negative";
    }
    for (HistoryItem item : row.getItemList()) {
      String problem = item("partial_history", item.getKey(), item.getNestedKeyList(),
          item.getValueJson(), false);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String history(HistoryRecord row) {
    if (row.hasStep() && row.getStep().getNum() < 0) {
      return "history step " + row.getStep().getNum() + " is negative";
    }
    for (HistoryItem item : row.getItemList()) {
      String problem = item("history", item.getKey(), item.getNestedKeyList(),
          item.getValueJson(), true);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /**
   * @param stepAllowed a ready-made history record may carry {@code _step} (the Handler replaces
   *     it); log() rows may not
   */
  private static String item(
      String kind, String key, List<String> nested, String valueJson, boolean stepAllowed) {
    if (!(stepAllowed && key.equals("_step"))) {
      String bad = keyProblem(kind, key);
      if (bad != null) {
        return bad;
      }
    }
    for (String part : nested) {
      if (part.isEmpty()) {
        return kind + " key " + quote(key) + " has an empty nested key";
      }
    }
    return valueProblem(kind, key, valueJson);
  }

  private static String logRows(HistoryRows rows) {
    int width = rows.getKeyCount();
    if (width == 0) {
      return "log_rows with no keys";
    }
    Set<String> seen = new HashSet<>(width * 2);
    for (String key : rows.getKeyList()) {
      String bad = keyProblem("log_rows", key);
      if (bad != null) {
        return bad;
      }
      if (!seen.add(key)) {
        return "log_rows key " + quote(key) + " appears twice";
      }
    }
    byte[] values = rows.getValues().toByteArray();
    ValueCursor cursor = new ValueCursor(values);
    int count = 0;
    try {
      while (cursor.next()) {
        String bad = JsonSyntax.problem(values, cursor.start(), cursor.end());
        if (bad != null) {
          int row = count / width;
          return "log_rows row "
              + row
              + ": the value of "
              + quote(rows.getKey(count % width))
              + " is not JSON: "
              + bad;
        }
        count++;
      }
    } catch (IllegalArgumentException cut) {
      return "log_rows values are malformed: " + cut.getMessage();
    }
    if (count == 0) {
      return "log_rows with no values";
    }
    if (count % width != 0) {
      return "log_rows holds "
          + count
          + " values, not a whole number of rows of "
          + width
          + " keys";
    }
    return null;
  }

  private static String summary(Record record) {
    for (SummaryItem item : record.getSummary().getUpdateList()) {
      String problem = item("summary", item.getKey(), item.getNestedKeyList(),
          item.getValueJson(), false);
      if (problem != null) {
        return problem;
      }
    }
    for (SummaryItem item : record.getSummary().getRemoveList()) {
      if (item.getKey().isEmpty()) {
        return "summary remove with an empty key";
      }
    }
    return null;
  }

  private static String config(Record record) {
    for (ConfigItem item : record.getConfig().getUpdateList()) {
      String bad = configKeyProblem(item.getKey());
      if (bad != null) {
        return bad;
      }
      bad = valueProblem("config", item.getKey(), item.getValueJson());
      if (bad != null) {
        return bad;
      }
    }
    for (ConfigItem item : record.getConfig().getRemoveList()) {
      String bad = configKeyProblem(item.getKey());
      if (bad != null) {
        return bad;
      }
    }
    return null;
  }

  /** The Java API's config key rules (PipelineConfig). */
  private static String configKeyProblem(String key) {
    if (key.isEmpty()) {
      return "config key must not be empty";
    }
    if (key.length() > LogValues.MAX_KEY_LENGTH) {
      return "config key "
          + quote(key)
          + " has "
          + key.length()
          + " characters; the limit is "
          + LogValues.MAX_KEY_LENGTH;
    }
    if (key.equals("_wandb")) {
      return "config key \"_wandb\" is reserved for the tracker's own block";
    }
    return null;
  }

  private static String metric(MetricRecord metric) {
    boolean named = !metric.getName().isEmpty();
    boolean glob = !metric.getGlobName().isEmpty();
    if (named == glob) {
      return "a metric record needs exactly one of name and glob_name";
    }
    String pattern = metric.getGlobName();
    if (glob && pattern.indexOf('*') != pattern.length() - 1) {
      return "metric glob_name " + quote(pattern) + ": only a trailing '*' is supported";
    }
    return null;
  }

  private static String stats(Record record) {
    for (StatsItem item : record.getStats().getItemList()) {
      if (item.getKey().isEmpty()) {
        return "stats key must not be empty";
      }
      String bad = valueProblem("stats", item.getKey(), item.getValueJson());
      if (bad != null) {
        return bad;
      }
    }
    return null;
  }

  private static String keyProblem(String kind, String key) {
    try {
      LogValues.checkKey(kind, key);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static String valueProblem(String kind, String key, String json) {
    String bad = JsonSyntax.problem(json.getBytes(StandardCharsets.UTF_8));
    return bad == null ? null : kind + " value of " + quote(key) + " is not JSON: " + bad;
  }

  /** A name for a message, cut short: a key may be long, and the message goes to a client. */
  private static String quote(String key) {
    return "\"" + (key.length() > 80 ? key.substring(0, 80) + "…" : key) + "\"";
  }
}
