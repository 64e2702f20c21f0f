package dev.runbus.server.api;

import dev.runbus.server.RunFileStorage;
import dev.runbus.server.store.NotFoundException;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.store.User;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.Callable;

/** What every read endpoint works with: the store, reached only on the database worker. */
final class ReadContext {
  final Vertx vertx;
  final ServerStore store;
  final RunFileStorage files;
  private final WorkerExecutor db;

  ReadContext(Vertx vertx, ServerStore store, WorkerExecutor db, RunFileStorage files) {
    this.vertx = vertx;
    this.store = store;
    this.db = db;
    this.files = files;
  }

  /** Runs JDBC work on the database worker; unordered, so one slow read holds up no other. */
  <T> Future<T> blocking(Callable<T> work) {
    return db.executeBlocking(work, false);
  }

  /** Answers a request with the JSON that {@code work} renders on the database worker. */
  void answer(ApiRequest req, Callable<Buffer> work) {
    blocking(work)
        .onSuccess(body -> Answers.json(req.rc, body))
        .onFailure(failure -> Answers.fail(req.rc, failure));
  }

  /** The viewer's run; a missing run and another entity's run are the same 404. Blocking. */
  RunInfo run(User viewer, RunKey key) {
    return store
        .runs()
        .find(viewer, key)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "no such run: " + key.entity() + "/" + key.project() + "/" + key.name()));
  }
}
