package dev.runbus.client;

import com.google.protobuf.Message;
import dev.runbus.bus.Bus;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Sends what the pump drained to a run's Handler over the bus: at most {@value #MAX_IN_FLIGHT}
 * messages unanswered, each one's bytes given back to the {@link QueueRoom} once it is answered,
 * all from one context, so that they reach the Handler in the order they were queued and their
 * answers come back in the order the pipeline took them.
 */
final class PipelineSender {

  static final int MAX_IN_FLIGHT = 4;

  /** Volatile: an attached rank learns its coordinator's address only as the service answers. */
  private volatile String handlerAddress;
  private final QueueRoom room;
  private final Consumer<Throwable> onBatchFailure;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

  /**
   * Batches sent and not answered yet. Answers come back in the order the pipeline took the
   * batches, so once a later request is answered, a batch still counted here was lost on the way
   * (an Error on a pipeline thread swallows a message without an answer).
   */
  private final AtomicInteger unansweredBatches = new AtomicInteger();

  private volatile Vertx vertx;
  private volatile Context context;

  /**
   * @param onBatchFailure hears why a batch was refused: its records were lost
   */
  private volatile long finishWaitMillis;

  /** Headers on every batch and request (an attached rank names itself: {@code rb-rank}). */
  private final Map<String, String> headers;

  PipelineSender(String handlerAddress, QueueRoom room, Consumer<Throwable> onBatchFailure) {
    this(handlerAddress, Map.of(), room, onBatchFailure);
  }

  PipelineSender(
      String handlerAddress,
      Map<String, String> headers,
      QueueRoom room,
      Consumer<Throwable> onBatchFailure) {
    this.handlerAddress = handlerAddress;
    this.headers = Map.copyOf(headers);
    this.room = room;
    this.onBatchFailure = onBatchFailure;
  }

  /** Sends everything from now on to {@code address}; before the pipeline opens. */
  void retarget(String address) {
    this.handlerAddress = address;
  }

  /** Sends {@code body} to the pipeline's address, with this run's headers, outside the queue. */
  CompletableFuture<Message> toPipeline(Vertx v, Message body) {
    return direct(v, handlerAddress, body, withHeaders(Bus.protobuf()));
  }

  /** Called once by the pump, on its own thread, when the run's pipeline is open. */
  void open(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
  }

  /**
   * Sends a batch holding {@code bytes} of room, given back once answered; blocks while {@value
   * #MAX_IN_FLIGHT} messages are unanswered.
   */
  void sendBatch(RecordBatch batch, long bytes) {
    inFlight.acquireUninterruptibly();
    onContext(
        bytes,
        v -> {
          unansweredBatches.incrementAndGet();
          vertx
              .eventBus()
              .request(handlerAddress, batch, withHeaders(Bus.protobuf()))
              .onComplete(
                  reply -> {
                    unansweredBatches.decrementAndGet();
                    inFlight.release();
                    room.giveBytes(bytes);
                    if (reply.failed()) {
                      onBatchFailure.accept(reply.cause());
                    }
                  });
        });
  }

  /**
   * An online run's finish waits for the server as well, for at most its finish timeout; every
   * other request is answered by the stages alone.
   */
  void finishMayWait(long millis) {
    this.finishWaitMillis = millis;
  }

  private DeliveryOptions withHeaders(DeliveryOptions options) {
    headers.forEach(options::addHeader);
    return options;
  }

  private DeliveryOptions deliveryOf(Record request) {
    DeliveryOptions options = withHeaders(Bus.protobuf());
    if (request.getRequest().hasFinish()) {
      options.setSendTimeout(Bus.PIPELINE_TIMEOUT_MS + finishWaitMillis);
    }
    return options;
  }

  /** Sends a request holding {@code bytes} of room; {@code answer} completes with its answer. */
  void sendRequest(Record request, CompletableFuture<Message> answer, long bytes) {
    inFlight.acquireUninterruptibly();
    onContext(
        bytes,
        v ->
            vertx
                .eventBus()
                .<Message>request(handlerAddress, request, deliveryOf(request))
                .onComplete(
                    reply -> {
                      inFlight.release();
                      room.giveBytes(bytes);
                      if (reply.succeeded()) {
                        answer.complete(reply.result().body());
                      } else {
                        answer.completeExceptionally(reply.cause());
                      }
                    }));
  }

  /**
   * Sends {@code body} to {@code address} on {@code v} outside the queue's order, from this
   * sender's context once there is one: an answer comes back on the context its request left
   * from, and a caller on a Vert.x worker thread blocks its own context while it waits for it.
   */
  CompletableFuture<Message> direct(Vertx v, String address, Message body) {
    return direct(v, address, body, Bus.protobuf());
  }

  private CompletableFuture<Message> direct(
      Vertx v, String address, Message body, DeliveryOptions options) {
    CompletableFuture<Message> answer = new CompletableFuture<>();
    Handler<Void> send =
        ignored ->
            v.eventBus()
                .<Message>request(address, body, options)
                .onSuccess(reply -> answer.complete(reply.body()))
                .onFailure(answer::completeExceptionally);
    Context sendContext = context;
    try {
      if (sendContext != null) {
        sendContext.runOnContext(send);
      } else {
        send.handle(null);
      }
    } catch (RuntimeException e) { // the instance was closed
      answer.completeExceptionally(e);
    }
    return answer;
  }

  /**
   * Batches sent before now that got no answer yet. Read once a request sent after them was
   * answered, anything but 0 means records were lost.
   */
  int unansweredBatches() {
    return unansweredBatches.get();
  }

  /** Runs {@code send} on the context; a send that never starts gives its slot and room back. */
  private void onContext(long bytes, Handler<Void> send) {
    try {
      context.runOnContext(send);
    } catch (RuntimeException e) {
      inFlight.release();
      room.giveBytes(bytes);
      throw e;
    }
  }
}
