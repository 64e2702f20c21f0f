package dev.runbus.sender;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.bus.Failures;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Response;
import dev.runbus.proto.Result;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;

/** The Sender stage of one run: routes records and the finish drain to {@link SenderState}. */
public final class SenderVerticle extends VerticleBase {

  private final String runId;
  private final SenderState state = new SenderState();

  public SenderVerticle(String runId) {
    this.runId = runId;
  }

  /** An online run's Sender (wiring stub; the online Sender replaces it). */
  public SenderVerticle(OnlineSetup setup) {
    this(setup.runId());
  }

  @Override
  public Future<?> start() {
    return vertx
        .eventBus()
        .<com.google.protobuf.Message>consumer(
            Addresses.sender(runId), Failures.answered("sender", this::onMessage))
        .completion();
  }

  private void onMessage(Message<com.google.protobuf.Message> message) {
    com.google.protobuf.Message body = message.body();
    if (body instanceof RecordBatch batch) {
      batch.getRecordList().forEach(state::accept);
    } else if (body instanceof Record record && record.getRequest().hasFinish()) {
      message.reply(
          Result.newBuilder()
              .setResponse(Response.newBuilder().setFinishResponse(state.finish()))
              .build(),
          Bus.protobuf());
    } else {
      message.fail(
          Failures.BAD_RECORD, "sender: unexpected " + body.getDescriptorForType().getName());
    }
  }
}
