package dev.runbus.sync;

import com.google.protobuf.Message;
import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.filestream.FileStreamVerticle;
import dev.runbus.filestream.SyncMark;
import dev.runbus.proto.FinishRequest;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.LogFlushed;
import dev.runbus.proto.PollExitRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.Result;
import dev.runbus.proto.SendProgress;
import dev.runbus.sender.OnlineSetup;
import dev.runbus.sender.SenderVerticle;
import dev.runbus.sender.ServerCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Uploads one log to a server through the same Sender and FileStream a live run uses: the Sender
 * is handed the log's run, config, files and exit records; the FileStream reads the rest from the
 * log, starting where the synced-through mark beside it says the server's acknowledgement ended,
 * so a second sync sends nothing twice. A log without an exit record (a killed run) is sent up to
 * its last intact record and the run is marked crashed.
 */
public final class RunSync {

  /** How often the progress callback hears how far the upload got. */
  static final long POLL_MILLIS = 500;

  /**
   * How one log's sync ended.
   *
   * @param alreadySynced the mark said the server has all of it: nothing was sent
   * @param send what the Sender reported at the end (empty when nothing was sent)
   */
  public record Outcome(
      String runId,
      SyncTargets.Target target,
      LogReplay.Scan scan,
      boolean alreadySynced,
      SendProgress send) {

    public boolean complete() {
      return alreadySynced || (send.getComplete() && !send.getIncomplete());
    }
  }

  private final Vertx vertx;
  private final ServerCredentials server;
  private final String entity;
  private final String project;
  private final Duration timeout;

  /**
   * @param entity the entity to sync to, or empty for the one the run named
   * @param project the project to sync to, or empty for the one the run named
   * @param timeout how long one log's upload may take before it is left incomplete
   */
  public RunSync(
      Vertx vertx, ServerCredentials server, String entity, String project, Duration timeout) {
    this.vertx = vertx;
    this.server = server;
    this.entity = entity;
    this.project = project;
    this.timeout = timeout;
  }

  /** Syncs one log, calling {@code progress} every half second while it uploads. */
  public Outcome sync(SyncTargets.Target target, Consumer<SendProgress> progress)
      throws IOException, InterruptedException {
    LogReplay.Scan scan = LogReplay.scan(target.logFile());
    String runId = scan.run().getRunId();
    OnlineSetup setup =
        new OnlineSetup(
            runId,
            server,
            target.runDir(),
            target.logFile(),
            entity.isEmpty() ? scan.run().getEntity() : entity,
            project.isEmpty() ? scan.run().getProject() : project,
            "",
            timeout,
            true);
    if (alreadySynced(setup)) {
      return new Outcome(runId, target, scan, true, SendProgress.getDefaultInstance());
    }
    String fileStream = await(vertx.deployVerticle(new FileStreamVerticle(setup)));
    String sender = await(vertx.deployVerticle(new SenderVerticle(setup)));
    try {
      vertx
          .eventBus()
          .send(
              Addresses.fileStream(runId),
              LogFlushed.newBuilder().setBytesFlushed(scan.intactBytes()).setClosed(true).build(),
              Bus.protobuf());
      LogReplay.replay(
          target.logFile(),
          batch -> vertx.eventBus().send(Addresses.sender(runId), batch, Bus.protobuf()));
      FinishResponse finished = finish(runId, progress);
      Outcome outcome = new Outcome(runId, target, scan, false, finished.getSend());
      if (outcome.complete()) {
        markSynced(setup); // a killed run's upload is complete without W&B's final post
      }
      return outcome;
    } finally {
      await(vertx.undeploy(sender).eventually(() -> vertx.undeploy(fileStream)));
    }
  }

  /**
   * Whether this server already has all of the log: W&B's {@code .synced} marker is there, and
   * the synced-through mark says it was this server (a sync to another one starts over).
   */
  private static boolean alreadySynced(OnlineSetup setup) {
    return Files.exists(setup.syncedMarker())
        && SyncMark.read(setup.markFile())
            .filter(mark -> mark.baseUrl().equals(setup.server().baseUrl().toString()))
            .filter(mark -> mark.run().equals(setup.runId()))
            .isPresent();
  }

  private static void markSynced(OnlineSetup setup) throws IOException {
    if (!Files.exists(setup.syncedMarker())) {
      Files.createFile(setup.syncedMarker());
    }
  }

  private FinishResponse finish(String runId, Consumer<SendProgress> progress)
      throws InterruptedException {
    DeliveryOptions options =
        Bus.protobuf().setSendTimeout(Bus.PIPELINE_TIMEOUT_MS + timeout.toMillis());
    CompletableFuture<Message> answer =
        vertx
            .eventBus()
            .<Message>request(
                Addresses.sender(runId),
                Record.newBuilder()
                    .setRequest(Request.newBuilder().setFinish(FinishRequest.getDefaultInstance()))
                    .build(),
                options)
            .map(reply -> reply.body())
            .toCompletionStage()
            .toCompletableFuture();
    while (true) {
      try {
        Result result = (Result) answer.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
        return result.getResponse().getFinishResponse();
      } catch (TimeoutException stillUploading) {
        poll(runId).ifPresent(progress);
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "the upload of run " + runId + " failed: " + e.getCause().getMessage(), e.getCause());
      }
    }
  }

  private Optional<SendProgress> poll(String runId) throws InterruptedException {
    try {
      Message reply =
          vertx
              .eventBus()
              .<Message>request(
                  Addresses.sender(runId),
                  Record.newBuilder()
                      .setRequest(
                          Request.newBuilder().setPollExit(PollExitRequest.getDefaultInstance()))
                      .build(),
                  Bus.protobuf().setSendTimeout(POLL_MILLIS * 4))
              .map(m -> m.body())
              .toCompletionStage()
              .toCompletableFuture()
              .get(POLL_MILLIS * 4, TimeUnit.MILLISECONDS);
      return Optional.of(((Result) reply).getResponse().getPollExitResponse().getSend());
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  private static <T> T await(Future<T> future) throws InterruptedException {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(cause.getMessage(), cause);
    }
  }
}
