package dev.runbus.service.cluster;

import dev.runbus.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** A service transport: the cluster-wide attach door (rb.service.attach) and the membership watch that tells RunHost a rank's node left. */
public final class ClusterDoorVerticle extends VerticleBase {

  private final ServiceContext service;

  public ClusterDoorVerticle(ServiceContext service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
