package dev.runbus.service.cluster;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.bus.Failures;
import dev.runbus.cluster.MembershipWatch;
import dev.runbus.proto.AttachRequest;
import dev.runbus.service.ServiceContext;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;

/**
 * A service transport: the cluster-wide attach door ({@link Addresses#SERVICE_ATTACH}) and the
 * membership watch that tells {@link dev.runbus.service.RunHost} a rank's node left. It only routes:
 * the token, the run and its ranks are the host's business.
 */
public final class ClusterDoorVerticle extends VerticleBase {

  private final ServiceContext service;
  private MembershipWatch membership;

  public ClusterDoorVerticle(ServiceContext service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    VertxInternal internal = (VertxInternal) vertx;
    if (!internal.isClustered()) {
      return Future.failedFuture(
          new IllegalStateException(
              "the cluster door needs a clustered Vert.x: start the service with -cluster"));
    }
    Bus.registerCodec(vertx); // a no-op where the launcher or the kernel registered it
    Context loop = context;
    membership =
        MembershipWatch.start(
            internal.clusterManager(),
            node -> loop.runOnContext(v -> service.host().nodeLeft(node)));
    // cluster-wide on purpose: this is the one door other nodes may knock on
    MessageConsumer<Object> door =
        vertx.eventBus().consumer(Addresses.SERVICE_ATTACH, Failures.answered("attach", this::attach));
    return door.completion();
  }

  private void attach(Message<Object> message) {
    Object body;
    try {
      body = message.body(); // decoded here, from another node's bytes
    } catch (RuntimeException unreadable) {
      message.fail(
          Failures.BAD_RECORD, "the attach door could not read the message: " + unreadable.getMessage());
      return;
    }
    if (!(body instanceof AttachRequest request)) {
      message.fail(
          Failures.BAD_RECORD,
          "the attach door takes an AttachRequest (protobuf codec), not "
              + (body == null ? "nothing" : body.getClass().getSimpleName()));
      return;
    }
    service
        .host()
        .attach(request)
        .onSuccess(response -> message.reply(response, Bus.protobuf()))
        .onFailure(
            e -> {
              ServiceStatus status =
                  e instanceof ServiceException refused ? refused.status() : ServiceStatus.INTERNAL;
              message.fail(status.busCode, e.getMessage() != null ? e.getMessage() : e.toString());
            });
  }

  @Override
  public Future<?> stop() {
    if (membership != null) {
      membership.close();
    }
    return Future.succeededFuture();
  }
}
