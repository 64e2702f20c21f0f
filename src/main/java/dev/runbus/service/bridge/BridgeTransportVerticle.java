package dev.runbus.service.bridge;

import dev.runbus.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** A service transport: the TCP event-bus bridge on config.bridge(), addresses under rb.bridge.* only. */
public final class BridgeTransportVerticle extends VerticleBase {

  private final ServiceContext service;

  public BridgeTransportVerticle(ServiceContext service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
