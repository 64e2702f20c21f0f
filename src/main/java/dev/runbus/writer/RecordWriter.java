package dev.runbus.writer;

import dev.runbus.bus.ValueCursor;
import dev.runbus.log.LogWriter;
import dev.runbus.proto.HeaderRecord;
import dev.runbus.proto.HistoryRows;
import dev.runbus.proto.Record;
import dev.runbus.proto.SummaryRecord;
import dev.runbus.proto.VersionInfo;
import dev.runbus.proto.WriteRows;
import java.io.IOException;

/**
 * Appends records to a run's {@code .wandb} log the way W&B's readers expect (§4.4): every record
 * that carries no request and is not marked local is persisted, numbered 1..n in arrival order, and
 * so is each row of a {@code write_rows} block, as the history record it stands for; everything
 * else passes by. On the way it keeps what the files beside the log are made of.
 *
 * <p>Not thread-safe: one Writer stage owns it.
 */
public final class RecordWriter {

  private final LogWriter log;
  private final ConfigState config = new ConfigState();
  private final MetricDictionary metrics = new MetricDictionary();
  private final HistoryEncoder history = new HistoryEncoder();
  private SummaryRecord lastSummary;
  private long num;
  private long rowsWritten;

  public RecordWriter(LogWriter log) {
    this.log = log;
  }

  /** The first record of every log: who wrote it. */
  public void writeHeader(String producer) throws IOException {
    write(
        Record.newBuilder()
            .setHeader(
                HeaderRecord.newBuilder()
                    .setVersionInfo(VersionInfo.newBuilder().setProducer(producer)))
            .build());
  }

  /** Persists the record if it is one that is persisted, and keeps what the files need of it. */
  public void write(Record record) throws IOException {
    if (record.getRequest().hasWriteRows()) {
      writeRows(record.getRequest().getWriteRows());
      return;
    }
    if (persisted(record)) {
      // the log assigns num; a num set upstream would be written twice
      Record body = record.getNum() == 0 ? record : record.toBuilder().clearNum().build();
      if (HistoryEncoder.handles(body)) {
        history.encode(++num, body);
        log.append(history.buffer(), 0, history.length());
      } else {
        log.append(++num, body);
      }
      if (body.hasHistory()) {
        rowsWritten++;
      }
    }
    // after the append: what the files beside the log keep must never cost the log a record
    track(record);
  }

  /** Each row of the block is one history record, numbered in turn. */
  private void writeRows(WriteRows write) throws IOException {
    HistoryRows rows = write.getRows();
    ValueCursor values = new ValueCursor(rows.getValues().toByteArray());
    byte[][] keys = history.keyFields(rows.getKeyList());
    // the Handler counted the rows; the values run out exactly at the end of the last one
    for (long step = write.getFirstStep(); history.encodeRow(++num, keys, values, step); step++) {
      log.append(history.buffer(), 0, history.length());
      rowsWritten++;
    }
    num--; // the call that found no more values numbered nothing
  }

  /** §4.4: requests and local records are never written. */
  public static boolean persisted(Record record) {
    return record.getRecordTypeCase() != Record.RecordTypeCase.REQUEST
        && record.getRecordTypeCase() != Record.RecordTypeCase.RECORDTYPE_NOT_SET
        && !record.getControl().getLocal();
  }

  private void track(Record record) {
    switch (record.getRecordTypeCase()) {
      case CONFIG -> config.apply(record.getConfig());
      case RUN -> {
        if (record.getRun().hasConfig()) {
          config.apply(record.getRun().getConfig());
        }
      }
      case METRIC -> metrics.add(record.getMetric());
      case SUMMARY -> lastSummary = record.getSummary();
      default -> {
        // nothing kept for the files beside the log
      }
    }
  }

  public long recordsWritten() {
    return num;
  }

  /** History records (rows) among them. */
  public long rowsWritten() {
    return rowsWritten;
  }

  /** Bytes appended to the log, header included; the last of them may still be in its buffer. */
  public long bytesWritten() {
    return log.position();
  }

  public LogWriter log() {
    return log;
  }

  ConfigState config() {
    return config;
  }

  MetricDictionary metrics() {
    return metrics;
  }

  /** The newest summary record; at finish the Handler's full summary is the last one. */
  SummaryRecord lastSummary() {
    return lastSummary;
  }
}
