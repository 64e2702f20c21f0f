package dev.runbus.client;

import com.google.protobuf.Message;
import dev.runbus.RunbusException;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
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
 * its own included, is queued as it is. What waits is bounded in bytes ({@code maxBytes}, each item
 * estimated by {@link QueuedBytes}) and in rows ({@code capacity}, a sealed block counting its
 * rows; the open block, at most {@value #MAX_BLOCK_ROWS} rows and {@value #MAX_BLOCK_BYTES} bytes,
 * waits outside both), and a put waits while either is full ({@link QueueRoom}). One pump thread
 * drains the queue and sends the items to the Handler in batches, at most {@value PipelineSender#MAX_IN_FLIGHT}
 * unanswered, and the Handler answers a batch only after the Writer took it. The rows' room is
 * given back when the pump drains them, their bytes only when their batch is answered: the bytes
 * bound the queue and the messages in flight together, so the memory between {@code log()} and
 * the disk is bounded end to end, whatever the rows hold.
 *
 * <p>Any failure of the pipeline (the pump thread dying of any throwable, a batch the Handler or
 * Writer could not take, the Vert.x instance closed) makes the run dead at once: callers waiting
 * for room wake up and throw, every later put throws, and waiting requests fail with the reason.
 *
 * <p>Requests that want an answer travel the same queue, so they are answered after everything put
 * before them.
 */
final class RunClient {

  static final int MAX_BATCH = 512;
  static final int MAX_BLOCK_ROWS = 512;

  /** An open block is sealed once its values take this many bytes, however few its rows. */
  static final int MAX_BLOCK_BYTES = 1 << 20;

  /**
   * An attached rank's batches cross the network and wait whole in the coordinator until answered:
   * they stay small (a quarter of the most the service takes), however big this JVM's queue.
   */
  static final long REMOTE_MAX_BATCH_BYTES = 1 << 20;

  /** How long an open block waits for more rows once the pump has nothing else to do. */
  private static final long SEAL_IDLE_MILLIS = 20;

  /** Rows closer together than this are a burst (above 50,000 rows/s). */
  private static final long BURST_GAP_MICROS = 20;

  /** After a small batch the pump waits this long so the next one carries more rows. */
  private static final long BATCH_WINDOW_NANOS = 200_000;

  private final CompletableFuture<Vertx> ready;

  /**
   * Why the pipeline cannot be reached, once that is known; everything queued then fails with it.
   */
  private volatile Throwable dead;

  private final String runId;
  private final String handlerAddress;
  // unbounded itself: room bounds what it holds, in rows and bytes
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final QueueRoom room;
  private final int maxBlockRows;
  private final long maxBlockBytes;
  private final long maxBatchBytes;
  private final PipelineSender sender;
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

  /** A sealed block of rows, with how many rows and bytes of room it holds. */
  private record Block(Record record, int rows, long bytes) {}

  /**
   * @param ready completes with the Vert.x instance once the run's pipeline is open; until then the
   *     queue fills (and, full, blocks) but nothing is sent
   * @param capacity rows that may wait in the queue
   * @param maxBytes bytes that may wait in the queue or be in flight, as {@link QueuedBytes}
   *     estimates them
   */
  RunClient(
      CompletableFuture<Vertx> ready,
      String runId,
      String handlerAddress,
      int capacity,
      long maxBytes,
      Consumer<Throwable> onFailure) {
    this(ready, runId, handlerAddress, Map.of(), capacity, maxBytes, onFailure);
  }

  /**
   * @param headers on every message to {@code handlerAddress}: an attached rank sends to its run's
   *     coordinator, naming itself, in batches of at most {@link #REMOTE_MAX_BATCH_BYTES}
   */
  RunClient(
      CompletableFuture<Vertx> ready,
      String runId,
      String handlerAddress,
      Map<String, String> headers,
      int capacity,
      long maxBytes,
      Consumer<Throwable> onFailure) {
    this.ready = ready;
    this.runId = runId;
    this.handlerAddress = handlerAddress;
    this.room = new QueueRoom(capacity, maxBytes);
    this.maxBlockRows = Math.min(MAX_BLOCK_ROWS, capacity);
    this.maxBlockBytes = Math.max(1, Math.min(MAX_BLOCK_BYTES, maxBytes / 8));
    // a batch takes at most its share of the bytes, so the next ones can be queued meanwhile
    long share = Math.max(1, maxBytes / PipelineSender.MAX_IN_FLIGHT);
    this.maxBatchBytes = headers.isEmpty() ? share : Math.min(share, REMOTE_MAX_BATCH_BYTES);
    this.onFailure = onFailure;
    this.sender = new PipelineSender(handlerAddress, headers, room, this::die);
    this.pump = new Thread(this::pumpLoop, "runbus-pump-" + runId);
    pump.setDaemon(true);
    pump.start();
  }

  /** Queues a record, after the open block; blocks while the queue is full. */
  void put(Object record) {
    putLock.lock();
    try {
      sealOpenBlock();
      enqueue(record, 1, bytesOf(record));
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
        enqueue(row, 1, QueuedBytes.of(row));
        return;
      }
      Row first = openBlockFirst;
      if (first != null
          && (openBlockRows == maxBlockRows
              || blockEncoder.blockBytes() >= maxBlockBytes
              || !RowEncoder.sameKeys(first, row))) {
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
    long bytes = openBlockBytes();
    takeRoom(rows, bytes);
    queue.add(new Block(takeOpenBlock(), rows, bytes));
  }

  /** Under putLock: what the open block will cost once sealed (its bytes, as one record). */
  private long openBlockBytes() {
    return QueuedBytes.RECORD_OVERHEAD + blockEncoder.blockBytes();
  }

  /** Under putLock: the open block as a record; the next row starts a new one. */
  private Record takeOpenBlock() {
    Record block = blockEncoder.finishBlock();
    openBlockFirst = null;
    openBlockRows = 0;
    return block;
  }

  /** Under putLock: waits for room for {@code rows} rows of {@code bytes}, then queues it. */
  private void enqueue(Object item, int rows, long bytes) {
    takeRoom(rows, bytes);
    queue.add(item);
  }

  /**
   * Waits only when the queue is full, so only a caller that really waits can be interrupted.
   * Throws once the run is dead, a caller that was waiting included.
   */
  private void takeRoom(int rows, long bytes) {
    if (room.tryTake(rows, bytes)) {
      return;
    }
    try {
      room.take(rows, bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "runbus: interrupted while waiting for room in the log queue; this call was not logged",
          e);
    } catch (QueueRoom.DeadRoomException e) {
      throw deadFailure(e.getCause());
    }
  }

  /** What a call that cannot be recorded any more throws. */
  private RunbusException deadFailure(Throwable why) {
    return new RunbusException(
        "runbus: run " + runId + " cannot record anything: " + PipelineFailure.describe(why), why);
  }

  /** The room {@code item} takes in bytes; the same at put and when the pump gives it back. */
  private static long bytesOf(Object item) {
    if (item instanceof Row row) {
      return QueuedBytes.of(row);
    }
    if (item instanceof Block block) {
      return block.bytes();
    }
    if (item instanceof PendingRequest pending) {
      return QueuedBytes.of(pending.record());
    }
    if (item instanceof Record record) {
      return QueuedBytes.of(record);
    }
    return 0; // STOP
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
      if (rows > 0) {
        long bytes = openBlockBytes();
        if (room.tryTake(rows, bytes)) {
          queue.add(new Block(takeOpenBlock(), rows, bytes));
        }
      }
    } finally {
      putLock.unlock();
    }
  }

  /** Queues a request; the answer completes once everything queued before it was handled. */
  CompletableFuture<Message> request(Record record) {
    CompletableFuture<Message> answer = new CompletableFuture<>();
    put(new PendingRequest(record, answer));
    Throwable why = dead;
    if (why != null) {
      // the pump may have died after the put looked: nobody else would answer
      answer.completeExceptionally(why);
    }
    return answer;
  }

  /** Sends {@code body} to {@code address} directly, outside the queue's order. */
  CompletableFuture<Message> direct(String address, Message body) {
    return ready.thenCompose(v -> sender.direct(v, address, body));
  }

  /** Sends from now on to {@code address}; see {@link PipelineSender#retarget}. */
  void retarget(String address) {
    sender.retarget(address);
  }

  /** Sends {@code body} to the run's pipeline (Handler or coordinator) outside the queue's order. */
  CompletableFuture<Message> toPipeline(Message body) {
    return ready.thenCompose(v -> sender.toPipeline(v, body));
  }

  /** The Vert.x instance the run's pipeline runs in, or null if its stream never opened. */
  Vertx pipelineVertx() {
    return ready.isDone() && !ready.isCompletedExceptionally() ? ready.join() : null;
  }

  /** See {@link PipelineSender#finishMayWait}. */
  void finishMayWait(long millis) {
    sender.finishMayWait(millis);
  }

  /** See {@link PipelineSender#unansweredBatches()}. */
  int unansweredBatches() {
    return sender.unansweredBatches();
  }

  /** The reason the pipeline is unreachable, or null while it is fine. */
  Throwable dead() {
    return dead;
  }

  /** Rows waiting between log() and the pump, the open block's included. */
  int queued() {
    return room.rows() + openBlockRows;
  }

  /** Bytes (as {@link QueuedBytes} estimates them) queued, being batched or in flight. */
  long bytesHeld() {
    return room.bytes();
  }

  /**
   * Stops the pump once everything queued before this call was sent; when the run is dead, at
   * once, since nothing queued can be delivered.
   */
  void close() {
    closing = true;
    if (dead == null) {
      try {
        put(STOP);
      } catch (RunbusException diedMeanwhile) {
        // the run died while STOP waited for room: nothing is left to deliver
      }
    }
    if (dead != null) {
      pump.interrupt();
    }
    try {
      pump.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Makes the run dead, once: waiters for room wake up and throw {@code why}, later puts throw it,
   * the pump fails what it drains, and the caller hears of it through {@code onFailure}.
   */
  private void die(Throwable why) {
    if (markDead(why)) {
      onFailure.accept(why);
    }
  }

  /** The first half of {@link #die}: true if this call made the run dead. */
  private boolean markDead(Throwable why) {
    synchronized (this) {
      if (dead != null) {
        return false;
      }
      dead = why;
    }
    room.close(why);
    return true;
  }

  /** Why a throwable on the pump's thread killed the run, said so that log() can repeat it. */
  private static Throwable pumpFailure(Throwable e) {
    if (e instanceof RejectedExecutionException) {
      // the Vert.x instance the pipeline lives in was closed under the run: nothing sent from
      // now on can arrive, so everything fails at once instead of waiting out its timeout
      return new IllegalStateException(
          "the Vert.x instance running the run's pipeline was closed before the run finished", e);
    }
    return new IllegalStateException("the run's pipeline thread failed: " + e, e);
  }

  private void pumpLoop() {
    List<Object> drained = new ArrayList<>(MAX_BATCH);
    try {
      openPipeline();
      pump(drained);
    } catch (Throwable e) {
      // whatever killed the pump (an Error included) kills the run: nothing would drain the
      // queue any more, so waiting callers and requests are told at once instead of hanging
      Throwable why;
      try {
        why = pumpFailure(e);
      } catch (Throwable outOfMemory) {
        why = e;
      }
      boolean first = markDead(why);
      failRequests(drained, dead);
      List<Object> left = new ArrayList<>();
      queue.drainTo(left);
      failRequests(left, dead);
      if (first) {
        onFailure.accept(why); // last: printing it is what is most likely to fail again
      }
    }
  }

  private void openPipeline() {
    try {
      sender.open(ready.join());
    } catch (RuntimeException e) {
      die(e.getCause() != null ? e.getCause() : e);
    }
  }

  private void pump(List<Object> drained) {
    long[] charges = new long[MAX_BATCH];
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
      int rows = drain(first, drained, charges);
      room.giveRows(rows);
      boolean small = rows < MAX_BATCH / 8;
      int stopAt = closing ? drained.indexOf(STOP) : -1;
      boolean stop = stopAt >= 0;
      if (stop) {
        drained.subList(stopAt, drained.size()).clear();
      }
      process(drained, charges);
      drained.clear();
      if (stop) {
        return;
      }
      if (small && !closing) {
        LockSupport.parkNanos(BATCH_WINDOW_NANOS);
      }
    }
  }

  /**
   * Takes {@code first} and what follows it, up to {@value #MAX_BATCH} items and the batch's share
   * of the bytes, into {@code drained}, each item's bytes into {@code charges}.
   *
   * @return the rows drained
   */
  private int drain(Object first, List<Object> drained, long[] charges) {
    int rows = 0;
    long bytes = 0;
    for (Object item = first; item != null; ) {
      long charge = bytesOf(item);
      charges[drained.size()] = charge;
      drained.add(item);
      rows += item instanceof Block block ? block.rows() : 1;
      bytes += charge;
      if (drained.size() == MAX_BATCH || bytes >= maxBatchBytes) {
        break;
      }
      item = queue.poll();
    }
    return rows;
  }

  /** Sends {@code items}; item i holds {@code charges[i]} bytes, given back once answered. */
  private void process(List<Object> items, long[] charges) {
    if (dead != null) {
      failRequests(items, dead); // nothing can be delivered: every waiting request hears why
      long bytes = 0;
      for (int i = 0, n = items.size(); i < n; i++) {
        bytes += charges[i];
      }
      room.giveBytes(bytes);
      return;
    }
    RecordBatch.Builder batch = null;
    long batchBytes = 0;
    for (int i = 0, n = items.size(); i < n; i++) {
      Object item = items.get(i);
      if (item instanceof PendingRequest pending) {
        if (batch != null) {
          sender.sendBatch(batch.build(), batchBytes);
          batch = null;
          batchBytes = 0;
        }
        sender.sendRequest(pending.record(), pending.answer(), charges[i]);
        continue;
      }
      if (batch == null) {
        batch = RecordBatch.newBuilder();
      }
      batchBytes += charges[i];
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
      for (int j = i + 1; j < end; j++) {
        batchBytes += charges[j];
      }
      i = end - 1;
    }
    if (batch != null) {
      sender.sendBatch(batch.build(), batchBytes);
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
}
