package dev.runbus.filestream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.runbus.log.LogEntry;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.OutputRawRecord;
import dev.runbus.proto.OutputRecord;
import dev.runbus.proto.Record;
import dev.runbus.proto.StatsItem;
import dev.runbus.proto.StatsRecord;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;

/**
 * Turns the log's records, in order, into FileStream lines: history rows into {@code
 * wandb-history.jsonl}, stats into {@code wandb-events.jsonl}, console output into {@code
 * output.log}, and everything that shapes the summary into {@link SummaryState}. Records before
 * {@code sendFrom} (acknowledged by an earlier stream, per its mark) are replayed for their state
 * only: the numbering, summary and console it leaves are the ones the first stream had.
 */
final class RecordConverter {

  private static final Logger LOG = Logger.getLogger(RecordConverter.class.getName());

  private final HistoryLine history = new HistoryLine();
  private final SummaryState summary = new SummaryState();
  private final ConsoleLines console;
  private final long sendFrom;
  private long historyLines;
  private long eventsLines;
  private long startMicros = -1;
  private boolean exited;
  private long dropped;

  RecordConverter(long historyBase, long eventsBase, long consoleBase, long sendFrom) {
    this.historyLines = historyBase;
    this.eventsLines = eventsBase;
    this.console = new ConsoleLines(consoleBase);
    this.sendFrom = sendFrom;
  }

  SummaryState summary() {
    return summary;
  }

  long historyLines() {
    return historyLines;
  }

  long eventsLines() {
    return eventsLines;
  }

  long consoleLine() {
    return console.currentLine();
  }

  /** Lines too long to send, dropped. */
  long dropped() {
    return dropped;
  }

  /** Applies one record, adding its lines to {@code out} when it is past {@code sendFrom}. */
  void accept(LogEntry entry, RequestBuilder out) {
    boolean send = entry.offset() >= sendFrom;
    apply(entry, out, send);
    if (!send) {
      summary.sent(); // an earlier stream sent the summary this record made
    }
  }

  private void apply(LogEntry entry, RequestBuilder out, boolean send) {
    byte[] payload = entry.payload();
    if (HistoryLine.isHistory(payload) && history.read(payload)) {
      JsonBytes line = send ? out.beginHistoryLine(historyLines) : unsentLine(payload);
      if (line != null) {
        history.write(payload, line);
      }
      history.applyTo(payload, summary);
      endHistory(send, out, entry, line);
      return;
    }
    Record record;
    try {
      record = Record.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      LOG.warning("skipping a record at log offset " + entry.offset() + " that is not a Record");
      return;
    }
    switch (record.getRecordTypeCase()) {
      case HISTORY -> {
        JsonBytes line = send ? out.beginHistoryLine(historyLines) : unsentLine(payload);
        writeTree(record, line);
        endHistory(send, out, entry, line);
      }
      case SUMMARY -> applySummary(record.getSummary());
      case STATS -> {
        if (send) {
          eventsLine(record.getStats(), out);
        } else {
          eventsLines++;
        }
      }
      case OUTPUT_RAW -> {
        OutputRawRecord o = record.getOutputRaw();
        console.apply(
            o.getOutputType() == OutputRawRecord.OutputType.STDERR,
            o.getTimestamp(),
            o.getLine(),
            send ? out::consoleLine : null);
      }
      case OUTPUT -> {
        OutputRecord o = record.getOutput();
        console.apply(
            o.getOutputType() == OutputRecord.OutputType.STDERR,
            o.getTimestamp(),
            o.getLine().endsWith("\n") ? o.getLine() : o.getLine() + "\n",
            send ? out::consoleLine : null);
      }
      case RUN -> {
        if (record.getRun().hasStartTime()) {
          startMicros = micros(record.getRun().getStartTime());
        }
      }
      case EXIT -> exited = true;
      case PREEMPTING -> {
        if (send) {
          out.preempting();
        }
      }
      default -> {
        // config, files, metrics, telemetry... are the Sender's
      }
    }
  }

  /**
   * Where a row an earlier stream already handled is rendered to learn whether it was dropped for
   * its length (which must not count as a line): only a row that may be that long; null otherwise.
   */
  private static JsonBytes unsentLine(byte[] payload) {
    return 7L * payload.length + 64 > RequestBuilder.MAX_LINE_BYTES ? new JsonBytes(1 << 20) : null;
  }

  private void endHistory(boolean send, RequestBuilder out, LogEntry entry, JsonBytes unsent) {
    if (!send) {
      if (unsent == null || unsent.length() - 2 <= RequestBuilder.MAX_LINE_BYTES) {
        historyLines++;
      }
      return;
    }
    if (out.endHistoryLine()) {
      historyLines++;
    } else {
      dropped++;
      LOG.warning(
          "dropped the history row at log offset "
              + entry.offset()
              + ": its line is longer than W&B's limit of "
              + RequestBuilder.MAX_LINE_BYTES
              + " bytes");
    }
  }

  /** The general path: nested keys become nested objects (Jackson, for rare rows). */
  private void writeTree(Record record, JsonBytes out) {
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    for (HistoryItem item : record.getHistory().getItemList()) {
      List<String> path =
          item.getNestedKeyCount() > 0 ? item.getNestedKeyList() : List.of(item.getKey());
      ObjectNode node = row;
      for (int i = 0; i < path.size() - 1; i++) {
        JsonNode child = node.get(path.get(i));
        node = child instanceof ObjectNode o ? o : node.putObject(path.get(i));
      }
      node.set(path.get(path.size() - 1), parse(item.getValueJson()));
    }
    var fields = row.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      if (field.getValue() instanceof ObjectNode nested) {
        summary.setTree(field.getKey(), nested.deepCopy());
      } else {
        byte[] key = field.getKey().getBytes(StandardCharsets.UTF_8);
        byte[] value = bytes(field.getValue());
        summary.set(key, 0, key.length, value, 0, value.length);
      }
    }
    if (out != null) {
      byte[] line = bytes(row);
      out.put((byte) '"').escapedOnce(line, 0, line.length).put((byte) '"');
    }
  }

  private void applySummary(SummaryRecord record) {
    if (exited) {
      // the Handler's full summary after the exit: it is the summary, whatever came before
      summary.clear();
      exited = false;
    }
    for (SummaryItem item : record.getUpdateList()) {
      summary.set(path(item), item.getValueJson());
    }
    for (SummaryItem item : record.getRemoveList()) {
      summary.remove(path(item));
    }
  }

  private static List<String> path(SummaryItem item) {
    return item.getNestedKeyCount() > 0 ? item.getNestedKeyList() : List.of(item.getKey());
  }

  private void eventsLine(StatsRecord stats, RequestBuilder out) {
    JsonBytes line = new JsonBytes(256);
    line.ascii("\"{");
    for (StatsItem item : stats.getItemList()) {
      line.ascii("\\\"").escapedTwice("system." + item.getKey()).ascii("\\\":");
      byte[] value =
          (item.getValueJson().isEmpty() ? "null" : item.getValueJson())
              .getBytes(StandardCharsets.UTF_8);
      line.escapedOnce(value, 0, value.length).put((byte) ',');
    }
    long at = micros(stats.getTimestamp());
    if (startMicros < 0) {
      startMicros = at; // no run record before it: the first sample starts the clock
    }
    line.ascii("\\\"_wandb\\\":true,\\\"_timestamp\\\":")
        .ascii(seconds(at))
        .ascii(",\\\"_runtime\\\":")
        .ascii(seconds(Math.max(0, at - startMicros)))
        .ascii("}\"");
    if (out.eventsLine(eventsLines, line)) {
      eventsLines++;
    } else {
      dropped++;
      LOG.warning("dropped a system-metrics line longer than " + RequestBuilder.MAX_LINE_BYTES);
    }
  }

  private static long micros(Timestamp t) {
    return t.getSeconds() * 1_000_000L + t.getNanos() / 1000;
  }

  /** Seconds with up to six decimals, as W&B writes its timestamps. */
  static String seconds(long micros) {
    long whole = Math.floorDiv(micros, 1_000_000L);
    long fraction = Math.floorMod(micros, 1_000_000L);
    if (fraction == 0) {
      return whole + ".0";
    }
    String digits = Long.toString(1_000_000L + fraction).substring(1);
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') {
      end--;
    }
    return whole + "." + digits.substring(0, end);
  }

  private static JsonNode parse(String json) {
    if (json.isEmpty()) {
      return JsonNodeFactory.instance.nullNode();
    }
    try {
      return SummaryState.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return JsonNodeFactory.instance.textNode(json);
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return SummaryState.JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
