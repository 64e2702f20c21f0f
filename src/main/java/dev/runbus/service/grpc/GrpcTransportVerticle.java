package dev.runbus.service.grpc;

import dev.runbus.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** A service transport: gRPC (proto/runbus/v1/service.proto) on config.grpc(). */
public final class GrpcTransportVerticle extends VerticleBase {

  private final ServiceContext service;

  public GrpcTransportVerticle(ServiceContext service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
