package dev.runbus.handler;

import dev.runbus.proto.Request;
import dev.runbus.proto.Response;

/** §2.6: the sampled history of every numeric top-level key. */
final class SampledHistoryHandler implements RequestHandler {
  private final RunState state;

  SampledHistoryHandler(RunState state) {
    this.state = state;
  }

  @Override
  public Response answer(Request request, RecordSink out) {
    return Response.newBuilder().setSampledHistoryResponse(state.sampler.toResponse()).build();
  }
}
