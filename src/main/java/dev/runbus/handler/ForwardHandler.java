package dev.runbus.handler;

import dev.runbus.proto.Record;

/** §2.1: records the Handler has nothing to add to go on unchanged. */
final class ForwardHandler implements RecordHandler {
  private final RunState state;

  ForwardHandler(RunState state) {
    this.state = state;
  }

  @Override
  public void handle(Record record, RecordSink out) {
    state.emit(out, record);
  }
}
