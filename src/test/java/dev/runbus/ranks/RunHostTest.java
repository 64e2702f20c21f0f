package dev.runbus.ranks;

import static dev.runbus.ranks.RankRecords.block;
import static dev.runbus.ranks.RankRecords.exit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.RunLogs;
import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.kernel.Kernel;
import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import dev.runbus.proto.CloseStreamRequest;
import dev.runbus.proto.FinishRequest;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.proto.Result;
import dev.runbus.proto.RunRecord;
import dev.runbus.service.RunHost;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import dev.runbus.service.ServiceToken;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service's run host in one JVM with a real kernel: ranks attach and log over the event bus. */
class RunHostTest {

  @TempDir Path data;
  private Vertx vertx;
  private RunHost host;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Kernel.deploy(vertx).await(30, TimeUnit.SECONDS);
    host =
        new RunHost(
            vertx,
            ServiceConfig.defaults(data)
                .withToken("secret")
                .withRankTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(30)),
            ServiceToken.of("secret"));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private AttachResponse attach(String token, String runId, int rank, int world) throws Exception {
    return host.attach(
            AttachRequest.newBuilder()
                .setToken(token)
                .setRunId(runId)
                .setCreate(true)
                .setLabelKeys(world > 1)
                .setRank(RankIdentity.newBuilder().setRank(rank).setWorldSize(world).setHost("h").setPid(rank))
                .setRun(RunRecord.newBuilder().setProject("ddp"))
                .build())
        .await(30, TimeUnit.SECONDS);
  }

  private com.google.protobuf.Message send(AttachResponse run, int rank, com.google.protobuf.Message body) throws Exception {
    DeliveryOptions options = Bus.protobuf().addHeader(Addresses.RANK_HEADER, Integer.toString(rank));
    return vertx.eventBus().<com.google.protobuf.Message>request(run.getIngestAddress(), body, options)
        .await(60, TimeUnit.SECONDS)
        .body();
  }

  private static Record finish() {
    return Record.newBuilder().setRequest(Request.newBuilder().setFinish(FinishRequest.getDefaultInstance())).build();
  }

  private static RecordBatch batch(Record... records) {
    return RecordBatch.newBuilder().addAllRecord(List.of(records)).build();
  }

  @Test
  void threeRanksLogIntoOneRunWithMergedStepsAndTheirOutcomes() throws Exception {
    AttachResponse[] runs = new AttachResponse[3];
    for (int r = 0; r < 3; r++) {
      runs[r] = attach("secret", "ddp1", r, 3);
    }
    assertTrue(runs[0].getCreated());
    assertFalse(runs[1].getCreated());
    for (int part = 0; part < 10; part++) {
      for (int r = 0; r < 3; r++) {
        int rank = r;
        int offset = part * 100;
        send(runs[r], r, batch(block(List.of("loss"), 100, (row, k) -> rank + "." + (offset + row))));
      }
    }
    send(runs[1], 1, batch(exit(0)));
    send(runs[1], 1, finish());
    send(runs[2], 2, batch(exit(7)));
    send(runs[2], 2, finish());
    send(runs[0], 0, batch(exit(0)));
    Result finished = (Result) send(runs[0], 0, finish());
    assertEquals(1000, finished.getResponse().getFinishResponse().getHistoryRows());
    send(runs[0], 0, CloseStreamRequest.newBuilder().setRunId("ddp1").build());

    List<Record> records = RunLogs.records(Path.of(runs[0].getLogPath()));
    List<Map<String, String>> history = RunLogs.history(records);
    assertEquals(1000, history.size());
    for (int step = 0; step < 1000; step++) {
      Map<String, String> row = history.get(step);
      assertEquals(Integer.toString(step), row.get("_step"));
      for (int r = 0; r < 3; r++) {
        assertEquals(r + "." + step, row.get("rank" + r + "/loss"), "step " + step + " rank " + r);
      }
    }
    String ranks =
        records.stream()
            .filter(Record::hasSummary)
            .flatMap(r -> r.getSummary().getUpdateList().stream())
            .filter(item -> item.getKey().equals("ranks"))
            .findFirst()
            .orElseThrow()
            .getValueJson();
    assertTrue(ranks.contains("\"1\":{\"state\":\"finished\",\"exit_code\":0"), ranks);
    assertTrue(ranks.contains("\"2\":{\"state\":\"failed\",\"exit_code\":7"), ranks);
    assertEquals(List.of("exit"), records.stream().filter(Record::hasExit).map(r -> "exit").toList(), "one exit");
    assertEquals(0, records.stream().filter(Record::hasExit).findFirst().orElseThrow().getExit().getExitCode(), "the primary's");
  }

  @Test
  void aRankAheadIsHeldBackOnceTheWindowIsFullAndLetGoWhenTheOthersCatchUp() throws Exception {
    host =
        new RunHost(
            vertx,
            ServiceConfig.defaults(data).withToken("secret").withMergeWindowBytes(64 << 10),
            ServiceToken.of("secret"));
    AttachResponse fast = attach("secret", "bp1", 0, 2);
    AttachResponse slow = attach("secret", "bp1", 1, 2);
    DeliveryOptions asRank0 = Bus.protobuf().addHeader(Addresses.RANK_HEADER, "0");
    io.vertx.core.Future<?> unanswered = null;
    int sent = 0;
    while (unanswered == null && sent < 40) {
      int offset = sent * 100;
      io.vertx.core.Future<?> reply =
          vertx.eventBus().request(
              fast.getIngestAddress(),
              batch(block(List.of("loss"), 100, (row, k) -> Integer.toString(offset + row))),
              asRank0);
      sent++;
      try {
        reply.await(3, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException held) {
        unanswered = reply;
      }
    }
    assertTrue(unanswered != null, "a rank 2,000+ rows ahead must wait once 64 KiB are held; it sent " + sent + " batches unhindered");
    assertTrue(sent < 12, "held back within the window's bytes, not later: " + sent + " batches");
    // rank 1 catches up: the rows leave, and rank 0's answer comes
    send(slow, 1, batch(block(List.of("loss"), 100 * sent, (row, k) -> Integer.toString(row))));
    unanswered.await(30, TimeUnit.SECONDS);
  }

  @Test
  void aBatchLargerThanTheServiceTakesIsRefusedSayingSo() throws Exception {
    AttachResponse run = attach("secret", "big1", 0, 1);
    String wide = "x".repeat(1000);
    RecordBatch big =
        batch(block(List.of("text"), (RunCoordinatorVerticle.MAX_RANK_BATCH_BYTES / 1000) + 10, (row, k) -> '"' + wide + '"'));
    assertTrue(big.getSerializedSize() > RunCoordinatorVerticle.MAX_RANK_BATCH_BYTES);
    ExecutionException refused = assertThrows(ExecutionException.class, () -> sendAsync(run, 0, big).get(30, TimeUnit.SECONDS));
    io.vertx.core.eventbus.ReplyException reply = (io.vertx.core.eventbus.ReplyException) refused.getCause();
    assertEquals(ServiceStatus.RESOURCE_EXHAUSTED.busCode, reply.failureCode());
    assertTrue(reply.getMessage().contains("sent a batch of " + big.getSerializedSize() + " bytes"), reply.getMessage());
    // nothing of it was taken, and the run goes on
    send(run, 0, batch(block(List.of("loss"), 10, (row, k) -> Integer.toString(row))));
    send(run, 0, batch(exit(0)));
    Result finished = (Result) send(run, 0, finish());
    assertEquals(10, finished.getResponse().getFinishResponse().getHistoryRows());
  }

  @Test
  void aRankThatDoesNotWaitForItsAnswersIsRefusedOnceItHas16Unanswered() throws Exception {
    host =
        new RunHost(
            vertx,
            ServiceConfig.defaults(data).withToken("secret").withMergeWindowBytes(16 << 10),
            ServiceToken.of("secret"));
    AttachResponse ahead = attach("secret", "eager1", 0, 2);
    attach("secret", "eager1", 1, 2); // attached, silent: rank 0's rows wait for it
    List<java.util.concurrent.CompletableFuture<com.google.protobuf.Message>> replies = new java.util.ArrayList<>();
    for (int part = 0; part < 40; part++) {
      int offset = part * 100;
      replies.add(sendAsync(ahead, 0, batch(block(List.of("loss"), 100, (row, k) -> Integer.toString(offset + row)))));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (replies.stream().filter(java.util.concurrent.CompletableFuture::isCompletedExceptionally).count() == 0
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    List<Throwable> refusals =
        replies.stream()
            .filter(java.util.concurrent.CompletableFuture::isCompletedExceptionally)
            .map(f -> assertThrows(ExecutionException.class, f::get).getCause())
            .toList();
    assertFalse(refusals.isEmpty(), "40 batches sent without waiting, over a full window: some must be refused");
    assertTrue(refusals.get(0).getMessage().contains("has 16 batches unanswered"), refusals.get(0).getMessage());
    // the refusals of the later batches may still be on their way: wait until they are all
    // answered, then at most 16 are held (without the bound, 40 stay held and this fails)
    long held = replies.stream().filter(f -> !f.isDone()).count();
    while (held > 16 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      held = replies.stream().filter(f -> !f.isDone()).count();
    }
    assertTrue(held <= 16, held + " batches held at once");
  }

  private java.util.concurrent.CompletableFuture<com.google.protobuf.Message> sendAsync(
      AttachResponse run, int rank, com.google.protobuf.Message body) {
    DeliveryOptions options =
        Bus.protobuf().addHeader(Addresses.RANK_HEADER, Integer.toString(rank)).setSendTimeout(120_000);
    return vertx.eventBus()
        .<com.google.protobuf.Message>request(run.getIngestAddress(), body, options)
        .map(io.vertx.core.eventbus.Message::body)
        .toCompletionStage()
        .toCompletableFuture();
  }

  @Test
  void aRankFinishingWhileHeldBackHasEveryBatchAnsweredBeforeItsFinish() throws Exception {
    host =
        new RunHost(
            vertx,
            ServiceConfig.defaults(data)
                .withToken("secret")
                .withMergeWindowBytes(64 << 10)
                // no straggler release during the test: only the finish may free the answers
                .withRankTimeouts(Duration.ofSeconds(20), Duration.ofMinutes(10)),
            ServiceToken.of("secret"));
    AttachResponse primary = attach("secret", "held1", 0, 2);
    AttachResponse ahead = attach("secret", "held1", 1, 2);
    DeliveryOptions asRank1 = Bus.protobuf().addHeader(Addresses.RANK_HEADER, "1");
    io.vertx.core.Future<?> held = null;
    int sent = 0;
    while (held == null && sent < 40) {
      int offset = sent++ * 100;
      io.vertx.core.Future<?> reply =
          vertx.eventBus().request(
              ahead.getIngestAddress(),
              batch(block(List.of("loss"), 100, (row, k) -> Integer.toString(offset + row))),
              asRank1);
      try {
        reply.await(3, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException waiting) {
        held = reply;
      }
    }
    assertTrue(held != null, "rank 1 ran ahead of rank 0 and was held back");
    // as a client does: the exit's batch and the finish go without waiting for answers
    io.vertx.core.Future<?> exitBatch = vertx.eventBus().request(ahead.getIngestAddress(), batch(exit(0)), asRank1);
    send(ahead, 1, finish());
    // a client counts a batch not answered by the time its finish is as lost
    assertTrue(held.isComplete() && held.succeeded(), "the held batch was answered before the finish");
    assertTrue(exitBatch.isComplete() && exitBatch.succeeded(), "the exit's batch too");
    DeliveryOptions asRank0 = Bus.protobuf().addHeader(Addresses.RANK_HEADER, "0");
    io.vertx.core.Future<?> primaryExit = vertx.eventBus().request(primary.getIngestAddress(), batch(exit(0)), asRank0);
    Result finished = (Result) send(primary, 0, finish());
    assertTrue(primaryExit.succeeded(), "the primary's batches are answered before its finish too");
    assertEquals(100L * sent, finished.getResponse().getFinishResponse().getHistoryRows(), "rank 1's rows, none lost");
  }

  @Test
  void theServiceStoppingEndsEveryHostedRunProperly() throws Exception {
    AttachResponse primary = attach("secret", "stop1", 0, 2);
    AttachResponse other = attach("secret", "stop1", 1, 2);
    send(primary, 0, batch(block(List.of("loss"), 30, (row, k) -> "0." + row)));
    send(other, 1, batch(block(List.of("loss"), 20, (row, k) -> "1." + row)));
    host.finishAll().await(60, TimeUnit.SECONDS);
    List<Record> records = RunLogs.records(Path.of(primary.getLogPath()));
    assertEquals(30, RunLogs.history(records).size(), "every row held in the window is written");
    assertTrue(records.get(records.size() - 1).hasFooter(), "the log ends properly");
    assertEquals(143, records.stream().filter(Record::hasExit).findFirst().orElseThrow().getExit().getExitCode());
    assertTrue(
        records.stream().anyMatch(r -> r.hasSummary() && r.getSummary().getUpdate(0).getValueJson().contains("\"timed_out\"")),
        "ranks still attached are recorded");
    assertEquals(0, host.openRuns());
  }

  @Test
  void aWrongOrMissingTokenIsRefusedAndWritesNothing() throws Exception {
    for (String token : new String[] {"", "guess"}) {
      ExecutionException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> host.attach(AttachRequest.newBuilder().setToken(token).setRunId("x1").setCreate(true)
                      .setRank(RankIdentity.newBuilder()).build())
                  .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      ServiceException why = (ServiceException) refused.getCause();
      assertEquals(ServiceStatus.UNAUTHENTICATED, why.status());
      assertTrue(why.getMessage().contains(token.isEmpty() ? "no token" : "wrong token"), why.getMessage());
    }
    try (Stream<Path> files = Files.list(data)) {
      assertEquals(0, files.count(), "no run directory, nothing written");
    }
    assertEquals(0, host.openRuns());
  }

  /** A transport: opens runs from its own context, as gRPC's and the bridge's calls do. */
  private final class Transport extends io.vertx.core.VerticleBase {
    Future<AttachResponse> attachHere(String runId) {
      Promise<AttachResponse> attached = Promise.promise();
      context.runOnContext(
          v ->
              host.attach(
                      AttachRequest.newBuilder()
                          .setToken("secret")
                          .setRunId(runId)
                          .setCreate(true)
                          .setRank(RankIdentity.newBuilder().setRank(0).setWorldSize(1).setHost("h"))
                          .setRun(RunRecord.newBuilder().setProject("svc"))
                          .build())
                  .onComplete(attached));
      return attached.future();
    }
  }

  @Test
  void aRunOutlivesTheTransportThatOpenedItUntilTheServiceFinishesIt() throws Exception {
    // the service undeploys its transports first, then finishes their runs: a coordinator that
    // was the transport's child would be gone by then, its ingest address with it
    Transport transport = new Transport();
    String deployment = vertx.deployVerticle(transport).await(30, TimeUnit.SECONDS);
    AttachResponse run = transport.attachHere("opened-by-transport").await(30, TimeUnit.SECONDS);
    send(run, 0, batch(block(List.of("loss"), 10, (row, k) -> Integer.toString(row))));
    vertx.undeploy(deployment).await(30, TimeUnit.SECONDS);

    send(run, 0, batch(block(List.of("loss"), 10, (row, k) -> Integer.toString(10 + row))));
    host.finishAll().await(60, TimeUnit.SECONDS);

    List<Record> records = RunLogs.records(Path.of(run.getLogPath()));
    assertEquals(20, RunLogs.history(records).size());
    assertEquals(143, records.stream().filter(Record::hasExit).findFirst().orElseThrow().getExit().getExitCode());
  }
}
