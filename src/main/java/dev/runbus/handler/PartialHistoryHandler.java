package dev.runbus.handler;

import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;

/** §2.3: a log() call; the stepper decides which rows are flushed and at which step. */
final class PartialHistoryHandler implements RecordHandler {
  private final RunState state;
  private final HistoryRowPipeline rows;

  PartialHistoryHandler(RunState state, HistoryRowPipeline rows) {
    this.state = state;
    this.rows = rows;
  }

  @Override
  public void handle(Record record, RecordSink out) {
    PartialHistoryRequest request = record.getRequest().getPartialHistory();
    long current = state.stepper.currentStep();
    if (!state.stepper.offer(request, rows, out) && request.hasStep()) {
      state.warnLowerStep(request.getStep().getNum(), current);
    }
  }
}
