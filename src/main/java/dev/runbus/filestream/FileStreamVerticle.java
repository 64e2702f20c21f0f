package dev.runbus.filestream;

import dev.runbus.sender.OnlineSetup;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The FileStream stage of an online run (and of {@code runbus sync}), on {@code
 * rb.run.<id>.filestream}: reads the run's log from disk and posts its history, summary, events and
 * console lines to the server's FileStream endpoint with W&B's offsets. CONTRACT STUB: built by
 * issue 8's FileStream work.
 */
public final class FileStreamVerticle extends VerticleBase {

  private final OnlineSetup setup;

  public FileStreamVerticle(OnlineSetup setup) {
    this.setup = setup;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
