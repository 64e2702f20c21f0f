package dev.runbus.ranks;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.bus.Failures;
import dev.runbus.proto.CloseStreamRequest;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.PipelineProgress;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.RankState;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Response;
import dev.runbus.proto.Result;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The door of one hosted run for its ranks, cluster-wide on {@code rb.attach.<runId>}: routes each
 * rank's messages to the {@link RunCoordinator} and what it lets through to the run's Handler.
 *
 * <p>Back-pressure: a rank's batch is taken at once (so a slow rank's rows can free the others'),
 * but answered only while what the coordinator holds, in its window and in flight to the Handler,
 * stays under the configured bytes. A rank's client sends only a few batches unanswered, so a
 * fast rank waits instead of filling the coordinator's heap.
 */
public final class RunCoordinatorVerticle extends VerticleBase {

  /** Batches on their way to the Handler at once. */
  private static final int MAX_FORWARDS_IN_FLIGHT = 4;

  private static final long TICK_MILLIS = 1000;

  /** Records go to the Handler in batches of about this many bytes at most. */
  static final long MAX_FORWARD_BATCH_BYTES = 1 << 20;

  /**
   * The largest batch a rank may send: runbus's own clients send at most a quarter of it, and a
   * bigger one would be held whole (its wire bytes and its records) while it waits to be answered.
   */
  public static final int MAX_RANK_BATCH_BYTES = 4 << 20;

  /** Batches one rank may have unanswered; runbus's client keeps at most 4. */
  static final int MAX_UNANSWERED_PER_RANK = 16;

  /** A rank's batch taken but not answered yet, and the bytes it keeps alive meanwhile. */
  private record Held(Message<com.google.protobuf.Message> message, String rank, long bytes) {}

  /** A run the service's stop ends before its primary did: as a process ended by SIGTERM. */
  private static final int SERVICE_STOPPED_EXIT_CODE = 143;

  private final String runId;
  private final CoordinatorSettings settings;
  private final Consumer<String> onClosed;
  private RunCoordinator coordinator;
  private Context ownContext;
  private final ArrayDeque<Held> heldReplies = new ArrayDeque<>();
  /** What the held batches keep alive: each one's bytes as received and as decoded records. */
  private long heldBytes;
  private final ArrayDeque<RecordBatch> toForward = new ArrayDeque<>();
  private int forwardsInFlight;
  private long forwardBytes;
  private Throwable broken;
  private Message<com.google.protobuf.Message> primaryFinish;
  private long finishDeadline;
  private boolean closed;
  private long closeTimer = -1;

  /**
   * @param onClosed told the run id once the run's stream was closed (the primary finished, and
   *     closed or went quiet)
   */
  public RunCoordinatorVerticle(String runId, CoordinatorSettings settings, Consumer<String> onClosed) {
    this.runId = runId;
    this.settings = settings;
    this.onClosed = onClosed;
  }

  @Override
  public Future<?> start() {
    ownContext = context;
    coordinator =
        new RunCoordinator(
            runId, settings.startingStep(), settings.worldSize(), settings.maxRanks(),
            System::currentTimeMillis);
    vertx.setPeriodic(TICK_MILLIS, id -> tick());
    MessageConsumer<com.google.protobuf.Message> consumer =
        vertx
            .eventBus()
            // cluster-wide on purpose: ranks on other machines send here
            .consumer(Addresses.attach(runId), Failures.answered("coordinator", this::onMessage));
    return consumer.completion();
  }

  /** Attaches a rank; from any thread, answered on this verticle's context. */
  public Future<Void> attach(RankIdentity identity, boolean labelKeys) {
    Promise<Void> attached = Promise.promise();
    ownContext.runOnContext(
        v -> {
          try {
            if (closed || primaryFinish != null) {
              throw new ServiceException(
                  ServiceStatus.FAILED_PRECONDITION, "run " + runId + " is finishing; no rank can attach now");
            }
            coordinator.attach(identity, labelKeys);
            attached.complete();
          } catch (ServiceException e) {
            attached.fail(e);
          }
        });
    return attached.future();
  }

  /** A cluster node left: its ranks vanished. From any thread. */
  public void nodeLeft(String nodeId) {
    ownContext.runOnContext(
        v -> {
          List<Record> out = new ArrayList<>();
          for (int rank : coordinator.ranksOfNode(nodeId)) {
            coordinator.end(
                coordinator.session(rank),
                RankState.RANK_VANISHED,
                "its process left the cluster (node " + nodeId + ") without finishing",
                out);
          }
          forward(out);
          releaseReplies();
        });
  }

  /** Finishes the run now, whoever is still attached (the service is stopping). From any thread. */
  public Future<Void> finishNow() {
    Promise<Void> done = Promise.promise();
    ownContext.runOnContext(
        v -> {
          if (closed) {
            done.complete();
            return;
          }
          List<Record> out = new ArrayList<>();
          out.add(coordinator.consoleLine("runbus: the service is stopping; the run ends here"));
          coordinator.close(SERVICE_STOPPED_EXIT_CODE, out);
          forward(out);
          sendFinish().onComplete(r -> closeStream().onComplete(c -> done.complete()));
        });
    return done.future();
  }

  private void onMessage(Message<com.google.protobuf.Message> message) {
    if (broken != null) {
      message.fail(Failures.INTERNAL, "run " + runId + " failed: " + broken.getMessage());
      return;
    }
    com.google.protobuf.Message body = message.body();
    if (body instanceof CloseStreamRequest) {
      message.reply(PipelineProgress.getDefaultInstance(), Bus.protobuf());
      if (closed && closeTimer >= 0 && "0".equals(message.headers().get(Addresses.RANK_HEADER))) {
        // the primary has its answers: the run's stream closes now, not at the grace's end
        vertx.cancelTimer(closeTimer);
        closeStream();
      }
      return;
    }
    RankSession rank;
    try {
      rank = coordinator.session(rankOf(message));
    } catch (ServiceException e) {
      message.fail(e.status().busCode, e.getMessage());
      return;
    }
    try {
      if (body instanceof RecordBatch batch) {
        int size = batch.getSerializedSize();
        if (size > MAX_RANK_BATCH_BYTES) {
          throw new ServiceException(
              ServiceStatus.RESOURCE_EXHAUSTED,
              rank.describe() + " sent a batch of " + size + " bytes; the service takes at most " + MAX_RANK_BATCH_BYTES);
        }
        String rankName = Integer.toString(rank.rank());
        if (unanswered(rankName) >= MAX_UNANSWERED_PER_RANK) {
          throw new ServiceException(
              ServiceStatus.RESOURCE_EXHAUSTED,
              rank.describe() + " has " + MAX_UNANSWERED_PER_RANK + " batches unanswered; it must wait for their answers");
        }
        List<Record> out = new ArrayList<>();
        for (Record record : batch.getRecordList()) {
          coordinator.take(rank, record, out);
        }
        coordinator.afterBatch(rank, out);
        forward(out);
        hold(new Held(message, rankName, 2L * size));
        releaseReplies();
      } else if (body instanceof Record record) {
        onRecord(message, rank, record);
      } else {
        message.fail(Failures.BAD_RECORD, "coordinator: unexpected " + body.getDescriptorForType().getName());
      }
    } catch (ServiceException e) {
      message.fail(e.status().busCode, e.getMessage());
    }
  }

  private void onRecord(Message<com.google.protobuf.Message> message, RankSession rank, Record record) {
    if (record.hasRequest() && record.getRequest().hasFinish()) {
      List<Record> out = new ArrayList<>();
      if (rank.rank() != 0) {
        coordinator.finished(rank, out);
        forward(out);
        // the rank sends nothing more: its batches still held back are answered first, since
        // a client counts a batch answered after its finish as lost
        answerHeld(Integer.toString(rank.rank()));
        message.reply(rankFinished(rank), Bus.protobuf());
        releaseReplies();
        return;
      }
      primaryFinish = message;
      finishDeadline = System.currentTimeMillis() + settings.rankFinishTimeoutMs();
      tryFinishPrimary();
      return;
    }
    if (!record.hasRequest()) {
      List<Record> out = new ArrayList<>();
      coordinator.take(rank, record, out);
      coordinator.afterBatch(rank, out);
      forward(out);
      message.reply(Result.newBuilder().setControl(record.getControl()).setUuid(record.getUuid()).build(), Bus.protobuf());
      return;
    }
    // a question for the run (summary, sampled history, poll_exit…): after what was sent before it
    afterForwards()
        .compose(v -> vertx.eventBus().<com.google.protobuf.Message>request(Addresses.handler(runId), record, Bus.protobuf()))
        .onSuccess(reply -> message.reply(reply.body(), Bus.protobuf()))
        .onFailure(e -> message.fail(Failures.upstream(e), e.getMessage()));
  }

  /** The primary finishes once every other rank ended, or the wait ran out. */
  private void tryFinishPrimary() {
    if (primaryFinish == null || closed) {
      return;
    }
    boolean othersDone = true;
    for (RankSession session : coordinator.attachedRanks()) {
      if (session.rank() != 0) {
        othersDone = false;
      }
    }
    if (!othersDone && System.currentTimeMillis() < finishDeadline) {
      return; // the tick asks again
    }
    List<Record> out = new ArrayList<>();
    RankSession primary = coordinator.session(0);
    coordinator.finished(primary, out);
    coordinator.close(out);
    forward(out);
    answerHeld("0");
    Message<com.google.protobuf.Message> finish = primaryFinish;
    sendFinish()
        .onSuccess(reply -> finish.reply(reply, Bus.protobuf()))
        .onFailure(e -> finish.fail(Failures.upstream(e), e.getMessage()));
    // the primary asks for the summary and sampled history, then closes; a primary that dies
    // first must not keep the run open for ever
    closeTimer = vertx.setTimer(settings.closeGraceMs(), id -> closeStream());
  }

  private Future<com.google.protobuf.Message> sendFinish() {
    closed = true;
    Record finish =
        Record.newBuilder()
            .setRequest(
                dev.runbus.proto.Request.newBuilder()
                    .setFinish(dev.runbus.proto.FinishRequest.getDefaultInstance()))
            .build();
    DeliveryOptions options = Bus.protobuf().setSendTimeout(Bus.PIPELINE_TIMEOUT_MS + settings.finishTimeoutMs());
    return afterForwards()
        .compose(v -> vertx.eventBus().<com.google.protobuf.Message>request(Addresses.handler(runId), finish, options))
        .map(Message::body);
  }

  private Future<Void> closeStream() {
    if (closeTimer == -2) {
      return Future.succeededFuture();
    }
    closeTimer = -2;
    return vertx
        .eventBus()
        .request(
            Addresses.KERNEL_RUNS,
            dev.runbus.proto.KernelRequest.newBuilder()
                .setCloseStream(CloseStreamRequest.newBuilder().setRunId(runId))
                .build(),
            Bus.protobuf())
        .<Void>mapEmpty()
        .eventually(() -> {
          onClosed.accept(runId);
          return Future.succeededFuture();
        });
  }

  private static Result rankFinished(RankSession rank) {
    return Result.newBuilder()
        .setResponse(
            Response.newBuilder()
                .setFinishResponse(
                    FinishResponse.newBuilder()
                        .setHistoryRows(rank.historyRows)
                        .setDroppedRows(rank.stepper.droppedRows())
                        .setProgress(
                            PipelineProgress.newBuilder()
                                .setRecordsAccepted(rank.recordsAccepted)
                                .setRecordsWritten(rank.recordsAccepted))))
        .build();
  }

  private void tick() {
    if (closed) {
      return;
    }
    List<Record> out = new ArrayList<>();
    if (coordinator.releaseStragglers(settings.stragglerTimeoutMs(), out)) {
      forward(out);
      releaseReplies();
    }
    tryFinishPrimary();
  }

  private static int rankOf(Message<?> message) {
    String header = message.headers().get(Addresses.RANK_HEADER);
    if (header == null) {
      throw new ServiceException(
          ServiceStatus.INVALID_ARGUMENT, "a message without the " + Addresses.RANK_HEADER + " header");
    }
    try {
      return Integer.parseInt(header);
    } catch (NumberFormatException e) {
      throw new ServiceException(
          ServiceStatus.INVALID_ARGUMENT, "the " + Addresses.RANK_HEADER + " header is not a rank: " + header);
    }
  }

  private void hold(Held held) {
    heldReplies.add(held);
    heldBytes += held.bytes();
  }

  private int unanswered(String rank) {
    int count = 0;
    for (Held held : heldReplies) {
      if (held.rank().equals(rank)) {
        count++;
      }
    }
    return count;
  }

  /** Answers every held batch of one rank (named as in its header), in order. */
  private void answerHeld(String rank) {
    heldReplies.removeIf(
        held -> {
          if (!rank.equals(held.rank())) {
            return false;
          }
          answer(held);
          return true;
        });
  }

  private void answer(Held held) {
    heldBytes -= held.bytes();
    if (broken != null) {
      held.message().fail(Failures.INTERNAL, "run " + runId + " failed: " + broken.getMessage());
    } else {
      held.message().reply(PipelineProgress.getDefaultInstance(), Bus.protobuf());
    }
  }

  /** Everything the coordinator keeps: the window, the records on their way, the held batches. */
  private long usedBytes() {
    return coordinator.heldBytes() + forwardBytes + heldBytes;
  }

  /**
   * Answers held batches while what the coordinator keeps fits its budget. Answering frees a
   * batch's bytes, and its rank then sends the next one.
   */
  private void releaseReplies() {
    if (!heldReplies.isEmpty()
        && broken == null
        && usedBytes() > settings.windowBytes()
        && forwardBytes <= settings.windowBytes() / 2) {
      // the ranks the window waits for are not held back by the window: their rows are what
      // empties it (holding them too would stall every rank until the straggler timeout). They
      // are by the records on their way to the Handler: when it is the slow part, every rank
      // waits until they are down to half the budget (they drain whatever the ranks do)
      for (int rank : coordinator.holdingBack()) {
        answerHeld(Integer.toString(rank));
      }
    }
    while (!heldReplies.isEmpty()
        && (usedBytes() <= settings.windowBytes()
            || broken != null
            // nothing waits to leave: the held batches are all there is, and only answering
            // them lets the run go on
            || (coordinator.heldBytes() == 0 && forwardBytes == 0))) {
      answer(heldReplies.poll());
    }
  }

  // --- to the Handler, in order, a few batches in flight

  private final List<Promise<Void>> drainWaiters = new ArrayList<>();

  private void forward(List<Record> records) {
    if (records.isEmpty()) {
      return;
    }
    RecordBatch.Builder batch = RecordBatch.newBuilder();
    long bytes = 0;
    for (Record record : records) {
      int size = record.getSerializedSize();
      if (bytes > 0 && bytes + size > MAX_FORWARD_BATCH_BYTES) {
        enqueueForward(batch.build());
        batch = RecordBatch.newBuilder();
        bytes = 0;
      }
      batch.addRecord(record);
      bytes += size;
    }
    enqueueForward(batch.build());
    pumpForwards();
  }

  private void enqueueForward(RecordBatch batch) {
    toForward.add(batch);
    forwardBytes += batch.getSerializedSize();
  }

  private void pumpForwards() {
    while (forwardsInFlight < MAX_FORWARDS_IN_FLIGHT && !toForward.isEmpty()) {
      RecordBatch batch = toForward.poll();
      long bytes = batch.getSerializedSize();
      forwardsInFlight++;
      vertx
          .eventBus()
          .request(Addresses.handler(runId), batch, Bus.protobuf())
          .onComplete(
              reply -> {
                forwardsInFlight--;
                forwardBytes -= bytes;
                if (reply.failed() && broken == null) {
                  broken = reply.cause();
                }
                pumpForwards();
                releaseReplies();
              });
    }
    if (forwardsInFlight == 0 && toForward.isEmpty()) {
      List<Promise<Void>> waiting = new ArrayList<>(drainWaiters);
      drainWaiters.clear();
      waiting.forEach(Promise::complete);
    }
  }

  /** Completes once everything forwarded so far was answered by the Handler. */
  private Future<Void> afterForwards() {
    if (forwardsInFlight == 0 && toForward.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    drainWaiters.add(drained);
    return drained.future();
  }
}
