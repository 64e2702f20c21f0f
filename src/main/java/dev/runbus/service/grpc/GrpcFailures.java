package dev.runbus.service.grpc;

import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * The gRPC status a failed call ends with: a refusal's own status ({@link ServiceException}), the
 * run's coordinator's failure code ({@link ServiceStatus#ofBusCode}), NOT_FOUND when nothing
 * listens on the run's address (no such run is open here), UNAVAILABLE when it did not answer in
 * time, INTERNAL otherwise. Never UNKNOWN: a client can act on every status it gets.
 */
final class GrpcFailures {

  private GrpcFailures() {}

  static StatusException of(Throwable failure, String runId) {
    if (failure instanceof StatusException status) {
      return status;
    }
    if (failure instanceof ServiceException refused) {
      return new StatusException(grpc(refused.status()), refused.getMessage());
    }
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS ->
            new StatusException(
                GrpcStatus.NOT_FOUND,
                "no run " + runId + " is open on this service: Attach opens or joins one");
        case TIMEOUT ->
            new StatusException(
                GrpcStatus.UNAVAILABLE,
                "run " + runId + " did not answer in time: " + reply.getMessage());
        case RECIPIENT_FAILURE ->
            new StatusException(
                grpc(ServiceStatus.ofBusCode(reply.failureCode())),
                "run " + runId + ": " + reply.getMessage());
        default -> new StatusException(GrpcStatus.INTERNAL, "run " + runId + ": " + reply);
      };
    }
    return new StatusException(GrpcStatus.INTERNAL, String.valueOf(failure));
  }

  /** Every ServiceStatus has a gRPC status of the same name. */
  static GrpcStatus grpc(ServiceStatus status) {
    return GrpcStatus.valueOf(status.name());
  }
}
