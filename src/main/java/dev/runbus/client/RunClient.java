package dev.runbus.client;

import com.google.protobuf.Message;
import dev.runbus.bus.Bus;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The thin client between the caller and a run's Handler.
 *
 * <p>In a burst, a row that can travel in a block (committed at the next step, numbers and
 * booleans only) is written by the caller's thread straight into the open block: its values as
 * text, no object per row. The block is sealed and queued when it is full, when a row with other
 * keys or anything else comes, or when the pump finds the queue idle. Everything else, a row on
 * its own included, is queued as it is. The queue is bounded in rows ({@code capacity}, a sealed
 * block counting its rows; the open block, at most {@value #MAX_BLOCK_ROWS} rows, waits outside
 * it), and a put waits while it is full. One pump thread drains it and sends the items to the
 * Handler in batches, at most {@value #MAX_IN_FLIGHT} unanswered, and the Handler answers a batch
 * only after the Writer took it, so the memory between {@code log()} and the disk is bounded end to
 * end.
 *
 * <p>Requests that want an answer travel the same queue, so they are answered after everything put
 * before them.
 */
final class RunClient {

  static final int MAX_BATCH = 512;
  static final int MAX_BLOCK_ROWS = 512;
  static final int MAX_IN_FLIGHT = 4;

  /** How long an open block waits for more rows once the pump has nothing else to do. */
  private static final long SEAL_IDLE_MILLIS = 20;

  /** Rows closer together than this are a burst (above 50,000 rows/s). */
  private static final long BURST_GAP_MICROS = 20;

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
  // unbounded itself: rowSlots bounds what it holds, in rows
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Semaphore rowSlots;
  private final int capacity;
  private final int maxBlockRows;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final RowEncoder encoder = new RowEncoder(); // the pump's

  /** Guards the open block and orders every put: what is queued goes in lock order. */
  private final ReentrantLock putLock = new ReentrantLock();

  private final RowEncoder blockEncoder = new RowEncoder(); // the open block's, under putLock
  private Row openBlockFirst; // under putLock
  private volatile int openBlockRows; // written under putLock; the pump peeks
  private double lastRowSeconds = Double.NEGATIVE_INFINITY; // under putLock
  private final Thread pump;
  private final Consumer<Throwable> onFailure;
  private volatile boolean closing;

  /** Put last by {@link #close()}: the pump stops when it reaches it. */
  private static final Object STOP = new Object();

  /** A request waiting in the queue for its turn. */
  private record PendingRequest(Record record, CompletableFuture<Message> answer) {}

  /** A sealed block of rows, with how many row slots it holds. */
  private record Block(Record record, int rows) {}

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
    this.capacity = capacity;
    this.rowSlots = new Semaphore(capacity);
    this.maxBlockRows = Math.min(MAX_BLOCK_ROWS, capacity);
    this.onFailure = onFailure;
    this.pump = new Thread(this::pumpLoop, "runbus-pump-" + runId);
    pump.setDaemon(true);
    pump.start();
  }

  /** Queues a row or a record, after the open block; blocks while the queue is full. */
  void put(Object rowOrRecord) {
    putLock.lock();
    try {
      sealOpenBlock();
      enqueue(rowOrRecord, 1);
    } finally {
      putLock.unlock();
    }
  }

  /**
   * Adds a row. In a burst (rows less than {@value #BURST_GAP_MICROS} µs apart), and while a block
   * is open, a row that can travel in a block is written into the open block here, on the caller's
   * thread: that is where a row costs least, and in a burst throughput is what counts. A row on
   * its own (a training loop's pace) is queued as it is and the pump sends it as W&B's client
   * would. Blocks while the queue is full.
   */
  void putRow(Row row) {
    putLock.lock();
    try {
      boolean burst = row.timestamp - lastRowSeconds < BURST_GAP_MICROS / 1e6;
      lastRowSeconds = row.timestamp;
      if (!RowEncoder.blockable(row) || (openBlockRows == 0 && !burst)) {
        sealOpenBlock();
        enqueue(row, 1);
        return;
      }
      Row first = openBlockFirst;
      if (first != null
          && (openBlockRows == maxBlockRows || !RowEncoder.sameKeys(first, row))) {
        sealOpenBlock();
        first = null;
      }
      if (first == null) {
        blockEncoder.startBlock(row);
        openBlockFirst = row;
      }
      blockEncoder.addToBlock(row);
      openBlockRows++;
    } finally {
      putLock.unlock();
    }
  }

  /**
   * Under putLock: queues the open block, if any rows are in it. Room is taken first, so a caller
   * interrupted while waiting for it leaves the block open and whole.
   */
  private void sealOpenBlock() {
    int rows = openBlockRows;
    if (rows == 0) {
      return;
    }
    takeRowSlots(rows);
    queue.add(new Block(takeOpenBlock(), rows));
  }

  /** Under putLock: the open block as a record; the next row starts a new one. */
  private Record takeOpenBlock() {
    Record block = blockEncoder.finishBlock();
    openBlockFirst = null;
    openBlockRows = 0;
    return block;
  }

  /** Under putLock: waits for room for {@code rows} rows, then queues {@code item}. */
  private void enqueue(Object item, int rows) {
    takeRowSlots(rows);
    queue.add(item);
  }

  /** Waits only when the queue is full, so only a caller that really waits can be interrupted. */
  private void takeRowSlots(int rows) {
    if (rowSlots.tryAcquire(rows)) {
      return;
    }
    try {
      rowSlots.acquire(rows);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "runbus: interrupted while waiting for room in the log queue; this call was not logged",
          e);
    }
  }

  /**
   * The pump, finding the queue empty, ships the open block rather than let its rows wait. It never
   * waits here: a caller holding the lock is adding rows and will seal them itself, and callers may
   * have filled the queue since the pump looked, in which case only the pump can make room.
   */
  private void sealIdleBlock() {
    if (openBlockRows == 0 || !putLock.tryLock()) {
      return;
    }
    try {
      int rows = openBlockRows;
      if (rows > 0 && rowSlots.tryAcquire(rows)) {
        queue.add(new Block(takeOpenBlock(), rows));
      }
    } finally {
      putLock.unlock();
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

  /** Rows waiting between log() and the pump, the open block's included. */
  int queued() {
    return capacity - rowSlots.availablePermits() + openBlockRows;
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
        first = queue.poll(openBlockRows > 0 ? SEAL_IDLE_MILLIS : 50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        sealIdleBlock();
        continue;
      }
      drained.add(first);
      queue.drainTo(drained, MAX_BATCH - 1);
      int rows = 0;
      for (Object item : drained) {
        rows += item instanceof Block block ? block.rows() : 1;
      }
      rowSlots.release(rows);
      boolean small = rows < MAX_BATCH / 8;
      int stopAt = closing ? drained.indexOf(STOP) : -1;
      boolean stop = stopAt >= 0;
      if (stop) {
        drained.subList(stopAt, drained.size()).clear();
      }
      try {
        process(drained);
      } catch (RejectedExecutionException e) {
        // the Vert.x instance the pipeline lives in was closed under the run: nothing sent from
        // now on can arrive, so everything fails at once instead of waiting out its timeout
        dead =
            new IllegalStateException(
                "the Vert.x instance running the run's pipeline was closed before the run finished",
                e);
        onFailure.accept(dead);
        failRequests(drained, dead);
      } catch (RuntimeException e) {
        onFailure.accept(e);
        failRequests(drained, e);
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
      failRequests(items, dead); // nothing can be delivered: every waiting request hears why
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
      if (item instanceof Block block) {
        batch.addRecord(block.record());
        continue;
      }
      if (!(item instanceof Row row)) {
        batch.addRecord((Record) item);
        continue;
      }
      int end = RowEncoder.blockEnd(items, i);
      // a lone row goes as W&B's client sends it; a run of alike rows as one block
      batch.addRecord(end - i == 1 ? encoder.encode(row) : encoder.encodeBlock(items, i, end));
      i = end - 1;
    }
    if (batch != null) {
      sendBatch(batch.build());
    }
  }

  /** Answers the requests among {@code items} that have no answer yet with {@code failure}. */
  private static void failRequests(List<Object> items, Throwable failure) {
    for (Object item : items) {
      if (item instanceof PendingRequest pending) {
        pending.answer().completeExceptionally(failure);
      }
    }
  }

  private void sendBatch(RecordBatch batch) {
    acquire();
    onContext(
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
    onContext(
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

  /** Runs {@code send} on the pump's context; a send that never starts gives its slot back. */
  private void onContext(Handler<Void> send) {
    try {
      context.runOnContext(send);
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  private void acquire() {
    inFlight.acquireUninterruptibly();
  }
}
