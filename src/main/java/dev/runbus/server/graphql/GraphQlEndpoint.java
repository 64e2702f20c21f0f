package dev.runbus.server.graphql;

import dev.runbus.server.UploadUrls;
import dev.runbus.server.Viewer;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.User;
import graphql.GraphQL;
import graphql.introspection.GoodFaithIntrospection;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.graphql.GraphQLHandler;
import java.util.Map;

/**
 * W&B's GraphQL API: {@code POST /graphql}, behind the body and auth handlers. A real GraphQL
 * engine (graphql-java) validates every document against {@code graphql/schema.graphqls}: an
 * unknown field or operation is a GraphQL error in a 200 answer, never a 500.
 */
public final class GraphQlEndpoint {
  private GraphQlEndpoint() {}

  public static Handler<RoutingContext> create(
      Vertx vertx, ServerStore store, WorkerExecutor db, UploadUrls uploads) {
    GraphQL graphQL = WandbSchema.build(new StoreCalls(store, db), uploads);
    return GraphQLHandler.builder(graphQL)
        .beforeExecute(
            in -> {
              User viewer = Viewer.of(in.context());
              in.builder()
                  .graphQLContext(
                      Map.of(
                          // W&B's capability probe asks for three __type fields in one query,
                          // which graphql-java's good-faith check refuses; the depth and
                          // complexity limits guard introspection instead.
                          GoodFaithIntrospection.GOOD_FAITH_INTROSPECTION_DISABLED, true,
                          User.class, viewer));
            })
        .build();
  }
}
