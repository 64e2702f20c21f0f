package dev.runbus.handler;

import dev.runbus.proto.Record;

/** Handles one kind of record that gets no reply; emits 0..n records in pipeline order. */
@FunctionalInterface
interface RecordHandler {
  void handle(Record record, RecordSink out);
}
