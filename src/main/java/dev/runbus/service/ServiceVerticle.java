package dev.runbus.service;

import dev.runbus.kernel.Kernel;
import dev.runbus.service.bridge.BridgeTransportVerticle;
import dev.runbus.service.cluster.ClusterDoorVerticle;
import dev.runbus.service.grpc.GrpcTransportVerticle;
import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * A runbus service's composition root: resolves its configuration ({@link ServiceConfigLoader}),
 * its token, builds the {@link RunHost}, makes sure a kernel is there for the runs it hosts, and
 * deploys the transports the configuration asks for (gRPC, the TCP bridge, and the cluster's
 * attach door when Vert.x is clustered). Once all are up it prints one ready line on stdout.
 *
 * <p>Stopping finishes the hosted runs <em>first</em>, while their pipelines and the cluster are
 * still there, so every log ends properly. Vert.x undeploys a verticle's children before its own
 * {@code stop()}, so that order cannot come from {@code stop()}: this verticle is deployed beside
 * the service-role {@code KernelVerticle} (not under it) and that one's {@code stop()} finishes
 * the runs, then undeploys this; closing Vert.x (SIGTERM through the launcher's shutdown hook)
 * runs a close hook that finishes them before Vert.x undeploys anything.
 */
public final class ServiceVerticle extends VerticleBase {

  /** The ready line's start, for scripts and tests that wait for it. */
  public static final String READY = "runbus service ready: ";

  private final JsonObject deploymentConfig;
  private final Closeable finishOnClose = this::finishOnClose;
  private volatile RunHost host;
  private volatile String deploymentId;
  private Future<Void> finishing;
  private Future<Void> undeploying;
  /** The transports' deployments, undeployed before the runs are finished. */
  private final List<String> transports = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ServiceVerticle(JsonObject deploymentConfig) {
    this.deploymentConfig = deploymentConfig == null ? new JsonObject() : deploymentConfig.copy();
  }

  /**
   * Deploys this verticle at the top level (from a context of its own, so it is nobody's child;
   * see the class comment) and registers the close hook that finishes its runs when Vert.x closes.
   */
  public Future<String> deployBeside(Vertx vertx) {
    VertxInternal internal = (VertxInternal) vertx;
    Promise<String> deployed = Promise.promise();
    internal
        .createEventLoopContext()
        .runOnContext(
            v -> vertx.deployVerticle(this, new DeploymentOptions().setConfig(deploymentConfig))
                .onComplete(deployed));
    return deployed
        .future()
        .onSuccess(
            id -> {
              deploymentId = id;
              internal.addCloseHook(finishOnClose);
            });
  }

  /**
   * Finishes the hosted runs, then undeploys this verticle and everything under it: the
   * service-role kernel's stop().
   */
  public Future<Void> finishThenUndeploy() {
    ((VertxInternal) vertx).removeCloseHook(finishOnClose);
    return finishAndUndeploy();
  }

  private Future<Void> finishAndUndeploy() {
    String id = deploymentId;
    return finishRuns()
        .recover(e -> Future.succeededFuture()) // the rest must stop even so
        .compose(v -> undeployOnce(id));
  }

  /** Undeploys this verticle unless that is done or under way (a close undeploys it too). */
  private synchronized Future<Void> undeployOnce(String id) {
    if (undeploying == null) {
      undeploying =
          id == null || !vertx.deploymentIDs().contains(id)
              ? Future.succeededFuture()
              : vertx.undeploy(id).recover(alreadyGone -> Future.succeededFuture());
    }
    return undeploying;
  }

  /**
   * Finishes every run the service hosts, once however often it is asked: the transports go
   * first (no new work; the bridge's stop finishes its own runs while the kernel still runs
   * them), then the runs of remote ranks.
   */
  synchronized Future<Void> finishRuns() {
    if (finishing == null) {
      List<Future<Void>> transportsDown = new ArrayList<>();
      for (String id : transports) {
        if (vertx.deploymentIDs().contains(id)) {
          transportsDown.add(vertx.undeploy(id).recover(e -> Future.succeededFuture()));
        }
      }
      finishing =
          Future.join(transportsDown)
              .recover(e -> Future.succeededFuture())
              .compose(v -> host == null ? Future.succeededFuture() : host.finishAll());
    }
    return finishing;
  }

  /**
   * Vert.x is closing: finish the runs, then undeploy this verticle ourselves, so Vert.x's own
   * undeploy of everything finds only the kernel shell left (and does not undeploy this twice).
   */
  private void finishOnClose(Completable<Void> completion) {
    finishAndUndeploy().onComplete(done -> completion.succeed());
  }

  /** The hosted runs, once started. */
  public RunHost host() {
    return host;
  }

  @Override
  public Future<?> start() {
    return ServiceConfigLoader.load(vertx, config())
        .compose(config -> vertx.executeBlocking(() -> new Started(config, token(config))))
        .compose(
            started -> {
              RunHost runs = new RunHost(vertx, started.config(), started.token());
              host = runs;
              ServiceContext service = new ServiceContext(started.config(), started.token(), runs);
              // an application's own kernel, when it has one, hosts these runs too: two kernels on
              // one event bus would take turns at rb.kernel.runs
              return Kernel.deploy(vertx)
                  .compose(kernel -> deployTransports(service))
                  .onSuccess(ready -> System.out.println(READY + ready))
                  .onSuccess(ready -> System.out.flush());
            });
  }

  private record Started(ServiceConfig config, ServiceToken token) {}

  private static ServiceToken token(ServiceConfig config) {
    try {
      Files.createDirectories(config.dataDir());
      return config.token() != null
          ? ServiceToken.of(config.token())
          : ServiceToken.loadOrCreate(config.dataDir());
    } catch (java.io.IOException e) {
      // the JDK's messages name only the path: say what runbus was doing
      throw new IllegalStateException(
          "cannot keep the service's data and token in " + config.dataDir().toAbsolutePath()
              + ": " + e,
          e);
    }
  }

  /** Deploys the configured transports; the ready line's text once all are up. */
  private Future<String> deployTransports(ServiceContext service) {
    ServiceConfig config = service.config();
    List<Future<String>> up = new ArrayList<>();
    List<String> listening = new ArrayList<>();
    GrpcTransportVerticle grpc = config.grpc() != null ? new GrpcTransportVerticle(service) : null;
    BridgeTransportVerticle bridge = config.bridge() != null ? new BridgeTransportVerticle(service) : null;
    if (grpc != null) {
      up.add(listening(vertx.deployVerticle(grpc), "gRPC", config.grpc()));
    }
    if (bridge != null) {
      up.add(listening(vertx.deployVerticle(bridge), "the bridge", config.bridge()));
    }
    if (vertx.isClustered()) {
      up.add(vertx.deployVerticle(new ClusterDoorVerticle(service)));
      listening.add(
          "cluster door as node " + ((VertxInternal) vertx).clusterManager().getNodeId());
    }
    up.forEach(deployed -> deployed.onSuccess(transports::add));
    return Future.all(up)
        .map(
            all -> {
              // the ports bound, which port 0 leaves to the system
              List<String> where = new ArrayList<>();
              if (grpc != null) {
                where.add("gRPC on " + describe(config.grpc(), grpc.port()));
              }
              if (bridge != null) {
                where.add("bridge on " + describe(config.bridge(), bridge.port()));
              }
              where.addAll(listening);
              return readyText(config, where);
            });
  }

  /** A transport that cannot listen says where it tried (a port in use is the usual reason). */
  private static Future<String> listening(Future<String> deployed, String what, ServiceConfig.Listener at) {
    return deployed.recover(
        e ->
            Future.failedFuture(
                new IllegalStateException(
                    what + " cannot listen on " + describe(at) + ": " + e.getMessage(), e)));
  }

  static String readyText(ServiceConfig config, List<String> listening) {
    String where = listening.isEmpty() ? "no transport (gRPC and bridge off, not clustered)" : String.join(", ", listening);
    String token =
        config.token() != null
            ? "token from the configuration"
            : "token in " + config.dataDir().toAbsolutePath().resolve(ServiceToken.FILE);
    return where + "; runs in " + config.dataDir().toAbsolutePath() + "; " + token;
  }

  private static String describe(ServiceConfig.Listener listener) {
    return describe(listener, listener.port());
  }

  private static String describe(ServiceConfig.Listener listener, int port) {
    return listener.host() + ":" + port + (listener.tls() ? " (TLS)" : "");
  }
}
