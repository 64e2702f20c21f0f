package dev.runbus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.bus.Bus;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.proto.Result;
import dev.runbus.proto.SampledHistoryRequest;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bounds between {@code log()} and the disk, end to end: the client in front of a real event
 * bus whose stand-in Handler is slow or does not answer at all, as a Writer that cannot keep up
 * would make the real one.
 */
@Timeout(120) // a bound that deadlocks would otherwise hang the build
class RunClientBoundsTest {

  private static final String HANDLER = "test.handler";

  Vertx vertx;
  final List<Throwable> failures = new CopyOnWriteArrayList<>();
  final List<Message<Object>> held = new CopyOnWriteArrayList<>();
  final AtomicInteger unanswered = new AtomicInteger();
  final AtomicInteger maxUnanswered = new AtomicInteger();
  final AtomicLong rowsReceived = new AtomicLong();
  final AtomicLong largestBatch = new AtomicLong();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    Bus.registerCodec(vertx);
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void noMoreThanFourMessagesAreEverUnanswered() throws Exception {
    // a Handler that answers each message 20 ms after it came: far slower than the pump sends
    answerAfter(20);
    CompletableFuture<Vertx> ready = new CompletableFuture<>();
    RunClient client =
        new RunClient(ready, "t", HANDLER, Integer.MAX_VALUE, 64 << 20, failures::add);
    int rows = 5_000; // about ten batches, all queued before the pipeline opens
    for (int i = 0; i < rows; i++) {
      client.putRow(stringRow(i, 10));
    }
    ready.complete(vertx);
    await(client.request(sampledHistory()));
    client.close();

    assertEquals(rows, rowsReceived.get());
    assertTrue(maxUnanswered.get() > 0);
    assertTrue(
        maxUnanswered.get() <= 4,
        "at most four batches and requests in flight, saw " + maxUnanswered.get());
    assertEquals(List.of(), failures);
  }

  @Test
  void anAttachedRanksBatchesStaySmallWhateverItsBudget() throws Exception {
    answerAfter(0);
    CompletableFuture<Vertx> ready = new CompletableFuture<>();
    RunClient client =
        new RunClient(ready, "t", HANDLER, Map.of("rb-rank", "0"), Integer.MAX_VALUE, 64 << 20, failures::add);
    // about 30 MB, all queued before the pipeline opens: a local run's batch would take 512 of
    // these rows, 5 MB
    int rows = 3_000;
    for (int i = 0; i < rows; i++) {
      client.putRow(stringRow(i, 10_000));
    }
    ready.complete(vertx);
    await(client.request(sampledHistory()));
    client.close();

    assertEquals(rows, rowsReceived.get());
    // a batch is closed once it reaches the cap, so it is at most the cap and one row over
    assertTrue(
        largestBatch.get() <= RunClient.REMOTE_MAX_BATCH_BYTES + 20_100,
        "a batch of " + largestBatch.get() + " bytes crossed the network");
    assertEquals(List.of(), failures);
  }

  @Test
  void theByteBudgetBoundsWhatIsQueuedAndInFlightTogether() throws Exception {
    holdEverything(); // a Handler that never answers: only the budget stops the caller
    long budget = 1 << 20;
    int chars = 50_000;
    long rowBytes = QueuedBytes.of(stringRow(0, chars));
    RunClient client =
        new RunClient(
            CompletableFuture.completedFuture(vertx),
            "t",
            HANDLER,
            Integer.MAX_VALUE,
            budget,
            failures::add);
    AtomicInteger put = new AtomicInteger();
    Thread caller =
        new Thread(
            () -> {
              for (int i = 0; i < 100; i++) {
                client.putRow(stringRow(i, chars));
                put.incrementAndGet();
              }
            });
    caller.setDaemon(true);
    caller.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (held.isEmpty()) { // some rows are in flight, not only queued
      assertTrue(System.nanoTime() < deadline, "nothing was sent");
      Thread.sleep(5);
    }
    awaitBlockedOrDone(caller);

    assertTrue(caller.isAlive(), "the caller was stopped by the budget, after " + put + " rows");
    // what got past put(), queued or sent and unanswered, fits the budget (a row that did not
    // fit waits for room, so nothing beyond it)
    assertTrue(
        put.get() * rowBytes <= budget,
        put + " rows of " + rowBytes + " bytes got past a budget of " + budget);
    assertTrue(client.bytesHeld() <= budget, client.bytesHeld() + " bytes held");

    // answering what was held lets the caller go on
    answerHeldFromNowOn();
    caller.join(TimeUnit.SECONDS.toMillis(30));
    assertTrue(!caller.isAlive());
    await(client.request(sampledHistory()));
    client.close();
    assertEquals(100, rowsReceived.get());
  }

  @Test
  void aRowBiggerThanTheWholeBudgetGoesAlone() throws Exception {
    answerAfter(0);
    RunClient client =
        new RunClient(
            CompletableFuture.completedFuture(vertx),
            "t",
            HANDLER,
            Integer.MAX_VALUE,
            1_000,
            failures::add);
    for (int i = 0; i < 5; i++) {
      client.putRow(stringRow(i, 10_000)); // 20,000 bytes and more each, for a 1,000-byte budget
    }
    await(client.request(sampledHistory()));
    client.close();
    assertEquals(5, rowsReceived.get());
    assertEquals(0, client.bytesHeld());
  }

  /** A row the pump sends on its own, never in a block: a string value. */
  private static Row stringRow(int i, int chars) {
    String text = "x".repeat(chars - 1) + (char) ('a' + i % 26);
    return new Row(new String[] {"text"}, new Object[] {text}, 1, Row.NO_STEP, null, i, i);
  }

  private static Record sampledHistory() {
    return Record.newBuilder()
        .setRequest(
            Request.newBuilder().setSampledHistory(SampledHistoryRequest.getDefaultInstance()))
        .build();
  }

  private static void await(CompletableFuture<?> answer) throws Exception {
    answer.get(60, TimeUnit.SECONDS);
  }

  private void answerAfter(long millis) {
    vertx
        .eventBus()
        .consumer(
            HANDLER,
            message -> {
              arrived(message);
              if (millis == 0) {
                answer(message);
              } else {
                vertx.setTimer(millis, t -> answer(message));
              }
            });
  }

  private boolean answerHeld; // under held

  private void holdEverything() {
    vertx
        .eventBus()
        .consumer(
            HANDLER,
            message -> {
              arrived(message);
              synchronized (held) {
                if (answerHeld) {
                  answer(message);
                } else {
                  held.add(message);
                }
              }
            });
  }

  /** From now on every message is answered, those held so far first. */
  private void answerHeldFromNowOn() {
    synchronized (held) {
      answerHeld = true;
      held.forEach(this::answer);
      held.clear();
    }
  }

  private void arrived(Message<Object> message) {
    maxUnanswered.accumulateAndGet(unanswered.incrementAndGet(), Math::max);
    if (message.body() instanceof RecordBatch batch) {
      largestBatch.accumulateAndGet(batch.getSerializedSize(), Math::max);
      for (Record record : batch.getRecordList()) {
        if (record.getRequest().hasPartialHistory()) {
          rowsReceived.incrementAndGet();
        }
      }
    }
  }

  private void answer(Message<Object> message) {
    unanswered.decrementAndGet();
    message.reply(Result.getDefaultInstance(), Bus.protobuf());
  }

  /** Waits until {@code thread} waits for room (its only way to wait) or has ended. */
  private static void awaitBlockedOrDone(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (thread.isAlive() && thread.getState() != Thread.State.WAITING) {
      assertTrue(System.nanoTime() < deadline, "the caller neither blocked nor finished");
      Thread.sleep(5);
    }
  }
}
