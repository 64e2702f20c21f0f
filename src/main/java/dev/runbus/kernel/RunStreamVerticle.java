package dev.runbus.kernel;

import dev.runbus.handler.HandlerVerticle;
import dev.runbus.proto.OpenStreamRequest;
import dev.runbus.proto.OpenStreamResponse;
import dev.runbus.sender.SenderVerticle;
import dev.runbus.writer.WriterVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;

/**
 * The composition root of one run: deploys its Writer, Sender and Handler, back to front, so each
 * stage's downstream exists before anything reaches it. They are undeployed with this verticle.
 */
public final class RunStreamVerticle extends VerticleBase {

  private final OpenStreamRequest open;
  private WriterVerticle writer;

  public RunStreamVerticle(OpenStreamRequest open) {
    this.open = open;
  }

  @Override
  public Future<?> start() {
    writer = new WriterVerticle(open);
    // the Writer blocks on the disk: a worker, never an event loop
    return vertx
        .deployVerticle(writer, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .compose(id -> vertx.deployVerticle(new SenderVerticle(open.getRunId())))
        .compose(id -> vertx.deployVerticle(new HandlerVerticle(open)));
  }

  OpenStreamResponse describe() {
    return OpenStreamResponse.newBuilder()
        .setRunDir(writer.directory().runDir().toString())
        .setLogPath(writer.directory().logFile().toString())
        .build();
  }
}
