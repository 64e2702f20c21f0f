package dev.runbus.service.grpc;

import io.vertx.grpc.common.GrpcStatus;

/** A gRPC call to a runbus service that ended with a status other than OK, and its message. */
public final class GrpcCallException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient GrpcStatus status;

  public GrpcCallException(GrpcStatus status, String message) {
    super(status.name() + (message == null || message.isEmpty() ? "" : ": " + message));
    this.status = status;
  }

  public GrpcStatus status() {
    return status;
  }
}
