package dev.runbus.sync;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runbus.log.LogEntry;
import dev.runbus.log.LogReader;
import dev.runbus.log.TornTail;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.RunRecord;
import dev.runbus.sender.SenderRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads a log for {@code runbus sync}: first what the run is ({@link #scan}), then the records its
 * Sender is handed, in order and in batches ({@link #replay}). History and the rest stay on disk:
 * the FileStream reads them itself. A log cut by a killed process is read up to its last intact
 * record.
 */
public final class LogReplay {

  static final int BATCH_RECORDS = 256;

  /**
   * What a log holds, as far as sync cares.
   *
   * @param intactBytes the length up to the end of the last intact record
   * @param exited whether the run's exit record is there; a run without one was killed
   */
  public record Scan(RunRecord run, long intactBytes, boolean exited, TornTail tornTail) {}

  private LogReplay() {}

  /**
   * @throws IOException when the log cannot be read, or is corrupt, or holds no run record (the
   *     message names the log)
   */
  public static Scan scan(Path log) throws IOException {
    RunRecord run = null;
    boolean exited = false;
    long intact;
    TornTail torn;
    try (LogReader reader = LogReader.open(log)) {
      LogEntry entry;
      while ((entry = reader.next()) != null) {
        Record.RecordTypeCase kind = RecordPeek.kind(entry.payload());
        if (kind == Record.RecordTypeCase.EXIT) {
          exited = true;
        } else if (run == null && kind == Record.RecordTypeCase.RUN) {
          run = parse(log, entry).getRun();
        }
      }
      torn = reader.tornTail();
      intact = torn != null ? torn.offset() : reader.position();
    }
    if (run == null) {
      throw new IOException(log + " holds no run record: there is no run to sync");
    }
    return new Scan(run, intact, exited, torn);
  }

  /** Hands the Sender-bound records of the log to {@code sink}, a batch at a time, in order. */
  public static void replay(Path log, Consumer<RecordBatch> sink) throws IOException {
    RecordBatch.Builder batch = RecordBatch.newBuilder();
    try (LogReader reader = LogReader.open(log)) {
      LogEntry entry;
      while ((entry = reader.next()) != null) {
        if (RecordPeek.onlyForTheFileStream(RecordPeek.kind(entry.payload()))) {
          continue; // most of a log: not worth parsing to drop
        }
        Record record = parse(log, entry);
        if (SenderRecords.forOnlineSender(record)) {
          batch.addRecord(record);
          if (batch.getRecordCount() == BATCH_RECORDS) {
            sink.accept(batch.build());
            batch = RecordBatch.newBuilder();
          }
        }
      }
    }
    if (batch.getRecordCount() > 0) {
      sink.accept(batch.build());
    }
  }

  private static Record parse(Path log, LogEntry entry) throws IOException {
    try {
      return Record.parseFrom(entry.payload());
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(
          log + ": the record at offset " + entry.offset() + " is not a valid Record", e);
    }
  }
}
