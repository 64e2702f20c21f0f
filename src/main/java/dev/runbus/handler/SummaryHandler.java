package dev.runbus.handler;

import dev.runbus.proto.Record;

/** §2.4: an explicit summary update is applied to the consolidated summary and persisted. */
final class SummaryHandler implements RecordHandler {
  private final RunState state;

  SummaryHandler(RunState state) {
    this.state = state;
  }

  @Override
  public void handle(Record record, RecordSink out) {
    state.summary.apply(record.getSummary());
    state.emit(out, record);
  }
}
