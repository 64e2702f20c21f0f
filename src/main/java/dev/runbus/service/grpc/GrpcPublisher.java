package dev.runbus.service.grpc;

import dev.runbus.proto.PublishAck;
import dev.runbus.proto.PublishRequest;
import dev.runbus.proto.RecordBatch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Publish stream of a {@link GrpcRunClient}, for a thread of the caller's: {@link #send}
 * blocks while {@code window} batches are unacknowledged (the service allows {@value
 * PublishWindow#MAX_UNACKED}), so a fast producer is held back by the run's pace instead of being
 * refused. {@link #end} closes the stream; {@link #done} says how it ended.
 */
public final class GrpcPublisher {

  private final Context context;
  private final GrpcClientRequest<PublishRequest, PublishAck> request;
  private final String runId;
  private final int rank;
  private final int window;
  private final Semaphore credit;
  private final AtomicLong acked = new AtomicLong(-1);
  private final Promise<Void> done = Promise.promise();
  private volatile Throwable failure;
  private long nextSeq = 1;

  GrpcPublisher(
      Vertx vertx,
      GrpcClientRequest<PublishRequest, PublishAck> request,
      String runId,
      int rank,
      int window) {
    Context current = Vertx.currentContext();
    this.context = current != null ? current : vertx.getOrCreateContext();
    this.request = request;
    this.runId = runId;
    this.rank = rank;
    this.window = window;
    this.credit = new Semaphore(window);
    request
        .response()
        .onSuccess(
            response -> {
              response.handler(
                  ack -> {
                    acked.set(ack.getSeq());
                    credit.release();
                  });
              response.exceptionHandler(this::ended);
              response.endHandler(
                  v ->
                      ended(
                          response.status() == GrpcStatus.OK
                              ? null
                              : new GrpcCallException(
                                  response.status(), GrpcRunClient.statusMessage(response))));
            })
        .onFailure(this::ended);
  }

  private void ended(Throwable why) {
    if (why != null) {
      failure = why;
      done.tryFail(why);
    } else {
      done.tryComplete();
    }
    credit.release(window + 1); // wake a sender waiting for an ack that will not come
  }

  /**
   * Sends a batch once fewer than {@code window} are unacknowledged; returns its seq.
   *
   * @throws GrpcCallException (or what else ended the stream) once the stream has ended
   */
  public long send(RecordBatch batch) throws InterruptedException {
    throwIfEnded();
    credit.acquire();
    throwIfEnded();
    long seq = nextSeq++;
    write(PublishRequest.newBuilder().setRunId(runId).setRank(rank).setSeq(seq).setBatch(batch)
        .build());
    return seq;
  }

  /** Writes a message as it is, outside the window: for tests of what the service refuses. */
  public void write(PublishRequest message) {
    context.runOnContext(v -> request.write(message));
  }

  private void throwIfEnded() {
    Throwable why = failure;
    if (why instanceof RuntimeException e) {
      throw e;
    }
    if (why != null) {
      throw new IllegalStateException("the Publish stream ended: " + why, why);
    }
    if (done.future().isComplete()) {
      throw new IllegalStateException("the Publish stream ended");
    }
  }

  /** Ends the stream; {@link #done} completes once the service answered every batch. */
  public Future<Void> end() {
    context.runOnContext(v -> request.end());
    return done.future();
  }

  /** Completes when the stream ended OK; fails with its status otherwise. */
  public Future<Void> done() {
    return done.future();
  }

  /** The last seq acknowledged, -1 before the first ack. */
  public long acked() {
    return acked.get();
  }
}
