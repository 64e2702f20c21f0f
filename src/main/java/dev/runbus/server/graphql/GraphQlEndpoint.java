package dev.runbus.server.graphql;

import dev.runbus.server.UploadUrls;
import dev.runbus.server.store.ServerStore;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

/** W&B's GraphQL API: {@code POST /graphql}, behind the body and auth handlers. */
public final class GraphQlEndpoint {
  private GraphQlEndpoint() {}

  public static Handler<RoutingContext> create(
      Vertx vertx, ServerStore store, WorkerExecutor db, UploadUrls uploads) {
    return rc -> rc.fail(501);
  }
}
