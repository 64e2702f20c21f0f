package dev.runbus.server;

import dev.runbus.server.http.InFlightLimiter;
import dev.runbus.server.http.ServerSecret;
import dev.runbus.server.http.UploadSigner;
import dev.runbus.server.store.ServerStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * A running server in a Vert.x instance: the composition root of the HTTP side. The store is the
 * caller's: opened before, closed after {@link #stop()}.
 */
public final class RunbusServer {

  /** The shared worker pool every JDBC call runs on. */
  public static final String DB_POOL = "runbus-db";

  private final Vertx vertx;
  private final ServerSettings settings;
  private final WorkerExecutor db;
  private final ServerVerticle verticle;
  private final String deploymentId;
  private final InFlightLimiter limiter;

  private RunbusServer(
      Vertx vertx,
      ServerSettings settings,
      WorkerExecutor db,
      ServerVerticle verticle,
      String deploymentId,
      InFlightLimiter limiter) {
    this.vertx = vertx;
    this.settings = settings;
    this.db = db;
    this.verticle = verticle;
    this.deploymentId = deploymentId;
    this.limiter = limiter;
  }

  public static Future<RunbusServer> start(Vertx vertx, ServerSettings settings, ServerStore store) {
    ServerLimits limits = settings.limits();
    InFlightLimiter limiter =
        new InFlightLimiter(limits.maxInFlightBytes(), limits.maxInFlightPosts());
    return vertx
        .executeBlocking(() -> ServerSecret.loadOrCreate(settings.config().dataDirectory()), false)
        .compose(
            secret -> {
              WorkerExecutor db = vertx.createSharedWorkerExecutor(DB_POOL, limits.dbWorkers());
              ServerVerticle verticle =
                  new ServerVerticle(settings, store, db, new UploadSigner(secret), limiter);
              return vertx
                  .deployVerticle(verticle)
                  .map(id -> new RunbusServer(vertx, settings, db, verticle, id, limiter))
                  .onFailure(e -> db.close());
            });
  }

  public int port() {
    return verticle.port();
  }

  /** The URL clients reach this server at: {@code WANDB_BASE_URL}. */
  public String baseUrl() {
    return settings.baseUrl(port());
  }

  public InFlightLimiter limiter() {
    return limiter;
  }

  /**
   * Stops accepting, lets requests in flight finish (at most the configured shutdown timeout), then
   * undeploys and releases the workers once their last task has returned: after this, every post
   * that was answered 200 is committed, and no store call is running.
   */
  public Future<Void> stop() {
    long timeout = settings.limits().shutdownTimeout().toMillis();
    return verticle
        .shutdown(timeout)
        .recover(e -> Future.succeededFuture())
        .compose(v -> vertx.undeploy(deploymentId).recover(e -> Future.succeededFuture()))
        .compose(v -> db.close());
  }
}
