package dev.runbus.handler;

import dev.runbus.proto.Record;

/**
 * Records the Handler drops and counts: records without a type (§4.5: never write one) and
 * client-sent final/footer (the Handler writes its own at exit; a final before the exit would break
 * legacy `wandb sync`).
 */
final class IgnoreHandler implements RecordHandler {
  private final RunState state;

  IgnoreHandler(RunState state) {
    this.state = state;
  }

  @Override
  public void handle(Record record, RecordSink out) {
    state.countIgnored();
  }
}
