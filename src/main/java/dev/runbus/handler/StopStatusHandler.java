package dev.runbus.handler;

import dev.runbus.proto.Request;
import dev.runbus.proto.Response;
import dev.runbus.proto.StopStatusResponse;

/** stop_status: nothing asks a runbus run to stop, so the answer is always "keep going". */
final class StopStatusHandler implements RequestHandler {
  private static final Response KEEP_GOING =
      Response.newBuilder()
          .setStopStatusResponse(StopStatusResponse.newBuilder().setRunShouldStop(false))
          .build();

  @Override
  public Response answer(Request request, RecordSink out) {
    return KEEP_GOING;
  }
}
