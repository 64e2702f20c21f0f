package dev.runbus.server.api;

import dev.runbus.server.RunFileStorage;
import dev.runbus.server.store.ServerStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;

/** The read API, {@code /api/v1/*}: the router the server verticle mounts there, auth in front. */
public final class ReadApi {
  private ReadApi() {}

  public static Future<Router> create(
      Vertx vertx, ServerStore store, WorkerExecutor db, RunFileStorage files) {
    return Future.succeededFuture(Router.router(vertx));
  }
}
