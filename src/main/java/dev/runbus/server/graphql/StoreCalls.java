package dev.runbus.server.graphql;

import dev.runbus.server.store.ServerStore;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The store as the fetchers reach it: every call (JDBC, blocking) runs on the database worker pool
 * and hands graphql-java a CompletionStage, so no event loop ever waits on the database, and no
 * fetcher holds the store where it could call it on one. Unordered: two fields of one query, or
 * two requests on one connection, need not queue behind each other.
 */
final class StoreCalls {
  private final ServerStore store;
  private final WorkerExecutor db;

  StoreCalls(ServerStore store, WorkerExecutor db) {
    this.store = store;
    this.db = db;
  }

  <T> CompletionStage<T> call(Function<ServerStore, T> work) {
    return db.executeBlocking(() -> work.apply(store), false).toCompletionStage();
  }
}
