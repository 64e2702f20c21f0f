package dev.runbus.handler;

import dev.runbus.proto.Request;
import dev.runbus.proto.Response;

/** Answers one kind of request from the run's state. */
@FunctionalInterface
interface RequestHandler {
  Response answer(Request request, RecordSink out);
}
