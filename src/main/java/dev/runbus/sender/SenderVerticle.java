package dev.runbus.sender;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.bus.Failures;
import dev.runbus.proto.FileStreamProgress;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.Response;
import dev.runbus.proto.Result;
import dev.runbus.proto.ResumeRequest;
import dev.runbus.proto.StopStatusResponse;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The Sender stage of one run. Offline it routes records and the finish drain to {@link
 * SenderState}; online (a live run, or {@code runbus sync}) to {@link OnlineSender}, which talks to
 * the server, and it answers the FileStream's progress, resume, poll_exit and stop_status.
 */
public final class SenderVerticle extends VerticleBase {

  private final String runId;
  private final OnlineSetup setup;
  private final SenderTunables tunables;
  private final RunRecord initialRun;
  private final SenderState state = new SenderState();
  private WebClient web;
  private OnlineSender online;

  /** An offline run's Sender. */
  public SenderVerticle(String runId) {
    this.runId = runId;
    this.setup = null;
    this.tunables = null;
    this.initialRun = null;
  }

  /** An online run's (or a sync's) Sender, with W&B's waits. */
  public SenderVerticle(OnlineSetup setup) {
    this(setup, SenderTunables.defaults());
  }

  public SenderVerticle(OnlineSetup setup, SenderTunables tunables) {
    this(setup, tunables, null);
  }

  /**
   * An online run's Sender that creates the run on the server at once from {@code initialRun}, the
   * record init queued, instead of when it arrives behind the pipeline's start (in a fresh JVM
   * that is about half a second, and the FileStream cannot post before the run exists).
   */
  public SenderVerticle(OnlineSetup setup, SenderTunables tunables, RunRecord initialRun) {
    this.runId = setup.runId();
    this.setup = setup;
    this.tunables = tunables;
    this.initialRun = initialRun;
  }

  @Override
  public Future<?> start() {
    if (setup != null) {
      // kept in a field: a client only a local variable holds is reclaimed by Vert.x's Cleaner
      web = WebClient.create(vertx, new WebClientOptions().setUserAgentEnabled(false));
      online = new OnlineSender(vertx, web, setup, tunables);
      if (initialRun != null) {
        online.accept(Record.newBuilder().setRun(initialRun).build());
      }
    }
    return vertx
        .eventBus()
        .<com.google.protobuf.Message>localConsumer(
            Addresses.sender(runId), Failures.answered("sender", this::onMessage))
        .completion();
  }

  @Override
  public Future<?> stop() {
    if (online != null) {
      online.close();
    }
    return Future.succeededFuture();
  }

  private void onMessage(Message<com.google.protobuf.Message> message) {
    com.google.protobuf.Message body = message.body();
    if (body instanceof RecordBatch batch) {
      batch.getRecordList().forEach(this::accept);
    } else if (body instanceof Record record && record.getRequest().hasFinish()) {
      finish(message);
    } else if (body instanceof Record record && record.getRequest().hasPollExit() && online != null) {
      reply(message, Response.newBuilder().setPollExitResponse(online.pollExit()));
    } else if (body instanceof Record record && record.getRequest().hasStopStatus()) {
      boolean stop = online != null && online.stopRequested();
      reply(
          message,
          Response.newBuilder()
              .setStopStatusResponse(StopStatusResponse.newBuilder().setRunShouldStop(stop)));
    } else if (body instanceof FileStreamProgress progress && online != null) {
      online.onStreamProgress(progress);
    } else if (body instanceof ResumeRequest && online != null) {
      online.resume().onSuccess(resumed -> message.reply(resumed, Bus.protobuf()));
    } else {
      message.fail(
          Failures.BAD_RECORD, "sender: unexpected " + body.getDescriptorForType().getName());
    }
  }

  private void accept(Record record) {
    state.accept(record);
    if (online != null) {
      online.accept(record);
    }
  }

  private void finish(Message<com.google.protobuf.Message> message) {
    if (online == null) {
      reply(message, Response.newBuilder().setFinishResponse(state.finish()));
      return;
    }
    online
        .finish()
        .onSuccess(response -> reply(message, Response.newBuilder().setFinishResponse(response)));
  }

  private static void reply(Message<?> message, Response.Builder response) {
    message.reply(Result.newBuilder().setResponse(response).build(), Bus.protobuf());
  }
}
