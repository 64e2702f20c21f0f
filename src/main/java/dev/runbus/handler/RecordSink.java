package dev.runbus.handler;

import dev.runbus.proto.Record;

/** Receives the records the Handler emits, in pipeline order (towards the Writer). */
@FunctionalInterface
public interface RecordSink {
  void emit(Record record);
}
