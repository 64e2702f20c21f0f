package dev.runbus.sender;

import dev.runbus.proto.Record;

/**
 * Which records an online Sender is handed, live (by the Writer) or replayed ({@code runbus sync}):
 * what it sends by GraphQL (the run, config, files, metrics, telemetry, alerts), the exit and a
 * preemption, and anything marked {@code always_send}. History, summaries, stats and console output
 * it never sees: the FileStream reads them from the log, so what waits for a slow server waits on
 * disk, not in the heap.
 */
public final class SenderRecords {

  private SenderRecords() {}

  public static boolean forOnlineSender(Record record) {
    if (record.getControl().getAlwaysSend()) {
      return true;
    }
    return switch (record.getRecordTypeCase()) {
      case RUN, CONFIG, FILES, METRIC, TELEMETRY, EXIT, ALERT, PREEMPTING -> true;
      default -> false;
    };
  }
}
