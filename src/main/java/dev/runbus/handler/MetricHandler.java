package dev.runbus.handler;

import dev.runbus.proto.Record;

/**
 * §2.5: stores a define_metric definition; an auto-defined step metric goes out (local) before the
 * user's record, which is forwarded unchanged.
 */
final class MetricHandler implements RecordHandler {
  private final RunState state;

  MetricHandler(RunState state) {
    this.state = state;
  }

  @Override
  public void handle(Record record, RecordSink out) {
    state.metrics.define(record.getMetric());
    for (Record produced; (produced = state.metrics.pollProduced()) != null; ) {
      state.emit(out, produced);
    }
    state.emit(out, record);
  }
}
