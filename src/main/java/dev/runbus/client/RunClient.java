package dev.runbus.client;

import com.google.protobuf.Message;
import dev.runbus.bus.Bus;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The thin client between the caller and a run's Handler.
 *
 * <p>Callers put rows and records into a bounded queue (blocking when it is full). One pump thread
 * drains it, encodes rows as protobuf records, and sends them to the Handler in batches: one
 * event-bus message carries up to {@value #MAX_BATCH} records, which is what keeps the per-row cost
 * of a hop small. At most {@value #MAX_IN_FLIGHT} batches are unanswered at a time, and the Handler
 * answers a batch only after the Writer took it, so the memory between {@code log()} and the disk
 * is bounded end to end.
 *
 * <p>Requests that want an answer travel the same queue, so they are answered after everything put
 * before them.
 */
final class RunClient {

  static final int MAX_BATCH = 512;
  static final int MAX_IN_FLIGHT = 4;

  /** After a small batch the pump waits this long so the next one carries more rows. */
  private static final long BATCH_WINDOW_NANOS = 200_000;

  private final CompletableFuture<Vertx> ready;
  private Vertx vertx;
  private Context context;

  /**
   * Why the pipeline cannot be reached, once that is known; everything queued then fails with it.
   */
  private volatile Throwable dead;

  private final String handlerAddress;
  private final BlockingQueue<Object> queue;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final RowEncoder encoder = new RowEncoder();
  private final Thread pump;
  private final Consumer<Throwable> onFailure;
  private volatile boolean closing;

  /** Put last by {@link #close()}: the pump stops when it reaches it. */
  private static final Object STOP = new Object();

  /** A request waiting in the queue for its turn. */
  private record PendingRequest(Record record, CompletableFuture<Message> answer) {}

  /**
   * @param ready completes with the Vert.x instance once the run's pipeline is open; until then the
   *     queue fills (and, full, blocks) but nothing is sent
   */
  RunClient(
      CompletableFuture<Vertx> ready,
      String runId,
      String handlerAddress,
      int capacity,
      Consumer<Throwable> onFailure) {
    this.ready = ready;
    this.handlerAddress = handlerAddress;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.onFailure = onFailure;
    this.pump = new Thread(this::pumpLoop, "runbus-pump-" + runId);
    pump.setDaemon(true);
    pump.start();
  }

  /** Queues a row or a record; blocks while the queue is full. */
  void put(Object rowOrRecord) {
    try {
      queue.put(rowOrRecord);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "runbus: interrupted while waiting for room in the log queue", e);
    }
  }

  /** Queues a request; the answer completes once everything queued before it was handled. */
  CompletableFuture<Message> request(Record record) {
    CompletableFuture<Message> answer = new CompletableFuture<>();
    put(new PendingRequest(record, answer));
    return answer;
  }

  /** Sends {@code body} to {@code address} directly, outside the queue's order. */
  CompletableFuture<Message> direct(String address, Message body) {
    return ready.thenCompose(
        v -> {
          CompletableFuture<Message> answer = new CompletableFuture<>();
          v.eventBus()
              .<Message>request(address, body, Bus.protobuf())
              .onSuccess(reply -> answer.complete(reply.body()))
              .onFailure(answer::completeExceptionally);
          return answer;
        });
  }

  /** The reason the pipeline is unreachable, or null while it is fine. */
  Throwable dead() {
    return dead;
  }

  int queued() {
    return queue.size();
  }

  /** Stops the pump once everything queued before this call was sent. */
  void close() {
    closing = true;
    put(STOP);
    try {
      pump.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pumpLoop() {
    try {
      vertx = ready.join();
      // sends leave from one context so they reach the Handler in queue order
      context = vertx.getOrCreateContext();
    } catch (RuntimeException e) {
      dead = e.getCause() != null ? e.getCause() : e;
      onFailure.accept(dead);
    }
    List<Object> drained = new ArrayList<>(MAX_BATCH);
    while (true) {
      Object first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        continue;
      }
      drained.add(first);
      queue.drainTo(drained, MAX_BATCH - 1);
      boolean small = drained.size() < MAX_BATCH / 8;
      int stopAt = closing ? drained.indexOf(STOP) : -1;
      boolean stop = stopAt >= 0;
      if (stop) {
        drained.subList(stopAt, drained.size()).clear();
      }
      try {
        process(drained);
      } catch (RuntimeException e) {
        onFailure.accept(e);
      }
      drained.clear();
      if (stop) {
        return;
      }
      if (small && !closing) {
        LockSupport.parkNanos(BATCH_WINDOW_NANOS);
      }
    }
  }

  private void process(List<Object> items) {
    if (dead != null) {
      // nothing can be delivered: answer every waiting request with the reason
      for (Object item : items) {
        if (item instanceof PendingRequest pending) {
          pending.answer().completeExceptionally(dead);
        }
      }
      return;
    }
    RecordBatch.Builder batch = null;
    for (int i = 0, n = items.size(); i < n; i++) {
      Object item = items.get(i);
      if (item instanceof PendingRequest pending) {
        if (batch != null) {
          sendBatch(batch.build());
          batch = null;
        }
        sendRequest(pending);
        continue;
      }
      if (batch == null) {
        batch = RecordBatch.newBuilder();
      }
      if (!(item instanceof Row row)) {
        batch.addRecord((Record) item);
        continue;
      }
      int end = RowEncoder.blockEnd(items, i);
      // a lone row keeps the record W&B's client sends; a run of alike rows goes as one block
      batch.addRecord(end - i == 1 ? encoder.encode(row) : encoder.encodeBlock(items, i, end));
      i = end - 1;
    }
    if (batch != null) {
      sendBatch(batch.build());
    }
  }

  private void sendBatch(RecordBatch batch) {
    acquire();
    context.runOnContext(
        v ->
            vertx
                .eventBus()
                .request(handlerAddress, batch, Bus.protobuf())
                .onComplete(
                    reply -> {
                      inFlight.release();
                      if (reply.failed()) {
                        onFailure.accept(reply.cause());
                      }
                    }));
  }

  private void sendRequest(PendingRequest pending) {
    acquire();
    context.runOnContext(
        v ->
            vertx
                .eventBus()
                .<Message>request(handlerAddress, pending.record(), Bus.protobuf())
                .onComplete(
                    reply -> {
                      inFlight.release();
                      if (reply.succeeded()) {
                        pending.answer().complete(reply.result().body());
                      } else {
                        pending.answer().completeExceptionally(reply.cause());
                      }
                    }));
  }

  private void acquire() {
    inFlight.acquireUninterruptibly();
  }
}
