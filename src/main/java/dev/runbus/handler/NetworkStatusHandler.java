package dev.runbus.handler;

import dev.runbus.proto.NetworkStatusResponse;
import dev.runbus.proto.Request;
import dev.runbus.proto.Response;

/** network_status: no failed HTTP responses to report from the Handler. */
final class NetworkStatusHandler implements RequestHandler {
  private static final Response EMPTY =
      Response.newBuilder()
          .setNetworkStatusResponse(NetworkStatusResponse.getDefaultInstance())
          .build();

  @Override
  public Response answer(Request request, RecordSink out) {
    return EMPTY;
  }
}
