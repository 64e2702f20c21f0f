package dev.runbus.service.grpc;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.proto.PipelineProgress;
import dev.runbus.proto.PublishAck;
import dev.runbus.proto.PublishRequest;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import dev.runbus.service.ServiceToken;
import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.grpc.common.InvalidMessageException;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;

/**
 * One Publish call: each batch is checked ({@link PublishWindow}, {@link RemoteRecords}), sent to
 * the run's coordinator as a local client sends to a Handler (the ingest protocol, see {@code
 * RunHost}), and acknowledged with its seq once the coordinator answered. A refusal ends the
 * stream with its status only after the batches before it were answered, so every batch a client
 * saw acknowledged is in the run and nothing after the refused one is. Wiring only: runs on the
 * call's event loop.
 */
final class PublishStream {

  private final EventBus bus;
  private final GrpcServerRequest<PublishRequest, PublishAck> request;
  private final GrpcServerResponse<PublishRequest, PublishAck> response;
  private final PublishWindow window;
  private final PublishStreams streams;
  private boolean claimed;
  private StatusException failure;
  private boolean clientEnded;
  private boolean closed;
  private boolean paused;

  PublishStream(
      EventBus bus,
      GrpcServerRequest<PublishRequest, PublishAck> request,
      PublishWindow window,
      PublishStreams streams) {
    this.bus = bus;
    this.streams = streams;
    this.request = request;
    this.response = request.response();
    this.window = window;
  }

  void start(ServiceToken token) {
    try {
      BearerToken.check(token, request.headers().get(BearerToken.HEADER));
    } catch (ServiceException refused) {
      closed = true;
      response.fail(GrpcFailures.of(refused, ""));
      return;
    }
    request.invalidMessageHandler(this::onInvalid);
    request.exceptionHandler(e -> close()); // the client went away: nobody to answer
    response.exceptionHandler(e -> close());
    request.handler(this::onBatch);
    request.endHandler(
        v -> {
          clientEnded = true;
          maybeEnd();
        });
  }

  private void onInvalid(InvalidMessageException invalid) {
    fail(
        invalid instanceof MessageSizeOverflowException
            ? new ServiceException(
                ServiceStatus.RESOURCE_EXHAUSTED,
                "a Publish message over the size limit; batches may be at most "
                    + PublishWindow.MAX_BATCH_BYTES
                    + " bytes: split it")
            : new ServiceException(
                ServiceStatus.INVALID_ARGUMENT,
                "a Publish message that is not a PublishRequest: " + invalid.getMessage()));
    maybeEnd();
  }

  private void onBatch(PublishRequest message) {
    if (failure != null || closed) {
      return; // after a refusal, what follows is read and dropped, so the client is not stuck
    }
    long seq = message.getSeq();
    try {
      RemoteRecords.check(message.getBatch());
      window.take(message, message.getBatch().getSerializedSize());
      if (!claimed) {
        if (!streams.claim(window.runId(), window.rank())) {
          window.answered(seq); // never sent: nothing to wait for
          throw new ServiceException(
              ServiceStatus.ALREADY_EXISTS,
              "run "
                  + window.runId()
                  + " rank "
                  + window.rank()
                  + " already publishes through another stream; a rank has one at a time, so its"
                  + " batches stay in order");
        }
        claimed = true;
      }
    } catch (ServiceException refused) {
      fail(refused);
      maybeEnd();
      return;
    }
    if (window.full() && !paused) {
      paused = true;
      request.pause();
    }
    String runId = window.runId();
    bus.<com.google.protobuf.Message>request(
            Addresses.attach(runId),
            message.getBatch(),
            Bus.protobuf().addHeader(Addresses.RANK_HEADER, Integer.toString(window.rank())))
        .onComplete(reply -> onAnswer(seq, reply));
  }

  private void onAnswer(long seq, AsyncResult<Message<com.google.protobuf.Message>> reply) {
    window.answered(seq);
    if (reply.succeeded()) {
      if (!closed) {
        PublishAck.Builder ack = PublishAck.newBuilder().setSeq(seq);
        if (reply.result().body() instanceof PipelineProgress progress) {
          ack.setProgress(progress);
        }
        response.write(ack.build());
      }
    } else {
      fail(reply.cause());
    }
    if (paused && (!window.full() || failure != null)) {
      paused = false;
      request.resume();
    }
    maybeEnd();
  }

  private void fail(Throwable why) {
    if (failure == null) {
      failure = GrpcFailures.of(why, window.runId());
    }
    if (paused) {
      paused = false;
      request.resume(); // drop the rest instead of leaving the client blocked
    }
  }

  private void close() {
    closed = true;
    if (claimed) {
      claimed = false;
      streams.release(window.runId(), window.rank());
    }
  }

  /** Ends the call once nothing is in flight and the client ended or a refusal is pending. */
  private void maybeEnd() {
    if (closed || window.unacked() > 0 || (failure == null && !clientEnded)) {
      return;
    }
    close();
    if (failure != null) {
      // not fail(): once acks went out, it ends without the status message
      response.status(failure.status()).statusMessage(failure.message()).end();
    } else {
      response.end();
    }
  }
}
