package dev.runbus.kernel;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.filestream.FileStreamVerticle;
import dev.runbus.handler.HandlerVerticle;
import dev.runbus.proto.OpenStreamRequest;
import dev.runbus.proto.OpenStreamResponse;
import dev.runbus.proto.ResumeRequest;
import dev.runbus.proto.ResumeState;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.StreamOptions;
import dev.runbus.sender.OnlineSetup;
import dev.runbus.sender.ServerCredentials;
import dev.runbus.sender.SenderTunables;
import dev.runbus.sender.SenderVerticle;
import dev.runbus.writer.RunDirectory;
import dev.runbus.writer.WriterVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The composition root of one run: deploys its Writer, Sender and Handler (and, online, its
 * FileStream), and is deployed once all are. They start side by side (the Writer's file work on a
 * worker while the others register on the event loop, about 30 ms less of a cold start than one
 * after the other): nothing reaches any stage before the client hears that the stream is open, so
 * no stage can receive a record before its downstream exists. They are undeployed with this
 * verticle.
 *
 * <p>A resumed online run is the exception: its Handler needs the step the server's run reached,
 * so the Sender is deployed and asked first. That wait is the stream's open, never {@code
 * init()}'s.
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
    Future<String> writerUp =
        vertx.deployVerticle(
            writer, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
    StreamOptions options = open.getOptions();
    if (options.getOffline()) {
      return Future.all(
          writerUp,
          vertx.deployVerticle(new SenderVerticle(open.getRunId())),
          vertx.deployVerticle(new HandlerVerticle(open)));
    }
    OnlineSetup setup = onlineSetup(open);
    // a resumed run's upsert must wait for its resume status; any other starts at once
    RunRecord early = setup.resume().isEmpty() && open.hasRun() ? open.getRun() : null;
    Future<String> senderUp =
        Future.all(
                vertx.deployVerticle(new FileStreamVerticle(setup)),
                vertx.deployVerticle(
                    new SenderVerticle(setup, SenderTunables.defaults(), early)))
            .map("");
    if (setup.resume().isEmpty()) {
      return Future.all(writerUp, senderUp, vertx.deployVerticle(new HandlerVerticle(open)));
    }
    Future<String> handlerUp =
        senderUp
            .compose(
                up ->
                    vertx
                        .eventBus()
                        .<com.google.protobuf.Message>request(
                            Addresses.sender(open.getRunId()),
                            ResumeRequest.getDefaultInstance(),
                            Bus.protobuf()))
            .compose(
                reply -> {
                  ResumeState resume = (ResumeState) reply.body();
                  if (!resume.getError().isEmpty()) {
                    return Future.failedFuture(resume.getError());
                  }
                  OpenStreamRequest resumed =
                      open.toBuilder()
                          .setOptions(
                              options.toBuilder().setStartingStep(resume.getStartingStep()))
                          .build();
                  return vertx.deployVerticle(new HandlerVerticle(resumed));
                });
    return Future.all(writerUp, handlerUp);
  }

  /** What an online run's Sender and FileStream need, from the options the client sent. */
  static OnlineSetup onlineSetup(OpenStreamRequest open) {
    StreamOptions options = open.getOptions();
    RunDirectory directory =
        RunDirectory.of(
            Path.of(options.getRootDir()), open.getRunId(), false, options.getStartTime());
    return new OnlineSetup(
        open.getRunId(),
        new ServerCredentials(URI.create(options.getBaseUrl()), options.getApiKey(), "Settings"),
        directory.runDir(),
        directory.logFile(),
        options.getEntity(),
        options.getProject(),
        options.getResume(),
        Duration.ofMillis(options.getFinishTimeoutMs()),
        false);
  }

  OpenStreamResponse describe() {
    return OpenStreamResponse.newBuilder()
        .setRunDir(writer.directory().runDir().toString())
        .setLogPath(writer.directory().logFile().toString())
        .build();
  }
}
