package dev.runbus.handler;

import dev.runbus.proto.Record;

/**
 * A request the Handler answers that arrived through {@code handle()}, where nobody waits for a
 * reply: its side effects apply (e.g. run_start), the answer is dropped.
 */
final class AnsweringRecordHandler implements RecordHandler {
  private final RequestHandler answerer;

  AnsweringRecordHandler(RequestHandler answerer) {
    this.answerer = answerer;
  }

  @Override
  public void handle(Record record, RecordSink out) {
    answerer.answer(record.getRequest(), out);
  }
}
