package dev.runbus.server.graphql;

import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * Runs store calls (JDBC, blocking) on the database worker pool and hands graphql-java a
 * CompletionStage, so no event loop ever waits on the database. Unordered: two fields of one
 * query, or two requests on one connection, need not queue behind each other.
 */
final class Blocking {
  private final WorkerExecutor db;

  Blocking(WorkerExecutor db) {
    this.db = db;
  }

  <T> CompletionStage<T> call(Callable<T> work) {
    return db.executeBlocking(work, false).toCompletionStage();
  }
}
