package dev.runbus.handler;

import dev.runbus.proto.Request;
import dev.runbus.proto.Response;

/** §2.7: the consolidated summary, one item per top-level key. */
final class GetSummaryHandler implements RequestHandler {
  private final RunState state;

  GetSummaryHandler(RunState state) {
    this.state = state;
  }

  @Override
  public Response answer(Request request, RecordSink out) {
    return Response.newBuilder().setGetSummaryResponse(state.summary.toResponse()).build();
  }
}
