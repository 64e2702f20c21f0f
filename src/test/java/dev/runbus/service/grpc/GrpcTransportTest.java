package dev.runbus.service.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.PublishRequest;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.RunRecord;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC transport against a stand-in coordinator on the run's ingest address: what it forwards,
 * when it acknowledges, and the status of everything it refuses.
 */
class GrpcTransportTest {

  @TempDir Path dir;
  private GrpcFixture service;
  private GrpcRunClient client;

  @BeforeEach
  void start() throws Exception {
    service = GrpcFixture.plain(dir);
    client = service.client(GrpcFixture.TOKEN);
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
  }

  private GrpcPublisher publisher(String runId, int rank) throws Exception {
    return client.publish(runId, rank, PublishWindow.MAX_UNACKED).await(20, TimeUnit.SECONDS);
  }

  private static PublishRequest message(String runId, long seq, RecordBatch batch) {
    return PublishRequest.newBuilder().setRunId(runId).setRank(0).setSeq(seq).setBatch(batch)
        .build();
  }

  @Test
  void forwardsBatchesWithTheRankAndAcksEachOnceTheCoordinatorAnswered() throws Exception {
    GrpcFixture.Ingest ingest = service.ingest("r1");
    ingest.hold();
    GrpcPublisher publisher = publisher("r1", 3);
    for (int i = 0; i < 3; i++) {
      publisher.send(Batches.of(Batches.floatRows(i * 10, 10, 4)));
    }
    ingest.awaitBatches(3);
    // a call after the batches arrived: its answer comes on the same connection after any ack
    // written before it
    assertEquals(GrpcStatus.NOT_FOUND, Batches.status(client.pollExit("no-such-run", 0)));
    assertEquals(-1, publisher.acked(), "acked before the coordinator answered");

    ingest.release(service.vertx);
    publisher.end().await(20, TimeUnit.SECONDS);

    assertEquals(3, publisher.acked());
    assertEquals(List.of("3", "3", "3"), ingest.ranks);
    assertEquals(Batches.floatRows(20, 10, 4), ingest.batches.get(2).getRecord(0));
  }

  @Test
  void moreThanTheWindowUnacknowledgedIsResourceExhausted() throws Exception {
    GrpcFixture.Ingest ingest = service.ingest("r1");
    ingest.hold();
    GrpcPublisher publisher = publisher("r1", 0);
    RecordBatch rows = Batches.of(Batches.floatRows(0, 2, 2));
    for (int seq = 1; seq <= PublishWindow.MAX_UNACKED + 1; seq++) {
      publisher.write(message("r1", seq, rows)); // past the window, which send() would keep
    }
    ingest.awaitBatches(PublishWindow.MAX_UNACKED);
    ingest.release(service.vertx);

    GrpcCallException refused = Batches.failure(publisher.done());

    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, refused.status());
    assertTrue(refused.getMessage().contains("at most 8 may be unacknowledged"), refused.getMessage());
    // the batches taken before the refusal were answered and acknowledged; the one refused not sent
    assertEquals(PublishWindow.MAX_UNACKED, publisher.acked());
    assertEquals(PublishWindow.MAX_UNACKED, ingest.batches.size());
  }

  @Test
  void aBatchOverTheSizeLimitIsResourceExhaustedAndNotSent() throws Exception {
    GrpcFixture.Ingest ingest = service.ingest("r1");
    GrpcPublisher publisher = publisher("r1", 0);
    publisher.send(Batches.of(Batches.floatRows(0, 2, 2)));
    publisher.send(Batches.ofSize(PublishWindow.MAX_BATCH_BYTES + 10));

    GrpcCallException refused = Batches.failure(publisher.done());

    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, refused.status());
    assertTrue(refused.getMessage().contains("split it"), refused.getMessage());
    assertEquals(1, ingest.batches.size());
    assertEquals(1, publisher.acked());
  }

  @Test
  void aMessageOverGrpcsOwnLimitIsResourceExhaustedToo() throws Exception {
    GrpcFixture.Ingest ingest = service.ingest("r1");
    GrpcPublisher publisher = publisher("r1", 0);
    publisher.send(Batches.ofSize(2 * PublishWindow.MAX_BATCH_BYTES));

    GrpcCallException refused = Batches.failure(publisher.done());
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, refused.status());
    assertTrue(refused.getMessage().contains("at most 2097152 bytes"), refused.getMessage());
    assertEquals(0, ingest.batches.size());
  }

  @Test
  void aMalformedRecordIsInvalidArgumentAfterTheBatchesBeforeItWereAcked() throws Exception {
    GrpcFixture.Ingest ingest = service.ingest("r1");
    GrpcPublisher publisher = publisher("r1", 0);
    publisher.send(Batches.of(Batches.floatRows(0, 2, 2)));
    publisher.send(
        Batches.of(
            Batches.floatRows(2, 2, 2), Batches.partialHistory("loss", "{\"a\": 1,}")));

    GrpcCallException refused = Batches.failure(publisher.done());

    assertEquals(GrpcStatus.INVALID_ARGUMENT, refused.status());
    assertTrue(
        refused.getMessage().contains("record 1 of the batch: partial_history value of \"loss\""),
        refused.getMessage());
    assertEquals(1, publisher.acked());
    assertEquals(1, ingest.batches.size(), "nothing of the malformed batch may be sent");
  }

  @Test
  void aRankPublishesThroughOneStreamAtATime() throws Exception {
    GrpcFixture.Ingest ingest = service.ingest("r1");
    GrpcPublisher first = publisher("r1", 2);
    first.send(Batches.of(Batches.floatRows(0, 2, 2)));
    ingest.awaitBatches(1);
    GrpcPublisher second = publisher("r1", 2);
    second.send(Batches.of(Batches.floatRows(2, 2, 2)));

    GrpcCallException refused = Batches.failure(second.done());
    assertEquals(GrpcStatus.ALREADY_EXISTS, refused.status());
    assertTrue(refused.getMessage().contains("run r1 rank 2 already publishes through another stream"), refused.getMessage());
    assertEquals(1, ingest.batches.size(), "the second stream's batch was not sent");

    GrpcPublisher otherRank = publisher("r1", 3); // another rank of the run may
    otherRank.send(Batches.of(Batches.floatRows(0, 2, 2)));
    otherRank.end().await(20, TimeUnit.SECONDS);
    first.end().await(20, TimeUnit.SECONDS);
    GrpcPublisher again = publisher("r1", 2); // once the first ended, the rank is free again
    again.send(Batches.of(Batches.floatRows(4, 2, 2)));
    again.end().await(20, TimeUnit.SECONDS);
    assertEquals(1, again.acked());
  }

  @Test
  void aStreamMayNotSwitchRuns() throws Exception {
    GrpcFixture.Ingest ingest = service.ingest("r1");
    GrpcPublisher publisher = publisher("r1", 0);
    RecordBatch rows = Batches.of(Batches.floatRows(0, 2, 2));
    publisher.write(message("r1", 1, rows));
    publisher.write(message("r2", 2, rows));

    assertEquals(GrpcStatus.INVALID_ARGUMENT, Batches.status(publisher.done()));
    assertEquals(1, ingest.batches.size());
  }

  @Test
  void noTokenOrAWrongOneIsUnauthenticatedOnEveryCallAndNothingIsSent() throws Exception {
    GrpcFixture.Ingest ingest = service.ingest("r1");
    for (String token : new String[] {null, "not-the-token"}) {
      GrpcRunClient stranger = service.client(token);
      AttachRequest attach =
          AttachRequest.newBuilder()
              .setRunId("r1")
              .setCreate(true)
              .setRank(RankIdentity.newBuilder().setRank(0))
              .setRun(RunRecord.newBuilder().setProject("p"))
              .build();
      GrpcCallException refused = Batches.failure(stranger.attach(attach));
      assertEquals(GrpcStatus.UNAUTHENTICATED, refused.status());
      assertTrue(refused.getMessage().contains(token == null ? "no token" : "wrong token"));
      assertEquals(GrpcStatus.UNAUTHENTICATED, Batches.status(stranger.runStart("r1", 0)));
      assertEquals(GrpcStatus.UNAUTHENTICATED, Batches.status(stranger.pollExit("r1", 0)));
      assertEquals(GrpcStatus.UNAUTHENTICATED, Batches.status(stranger.getSummary("r1", 0)));
      assertEquals(GrpcStatus.UNAUTHENTICATED, Batches.status(stranger.sampledHistory("r1", 0)));
      assertEquals(GrpcStatus.UNAUTHENTICATED, Batches.status(stranger.finish("r1", 0, 0)));
      GrpcPublisher publisher =
          stranger.publish("r1", 0, PublishWindow.MAX_UNACKED).await(20, TimeUnit.SECONDS);
      publisher.write(message("r1", 1, Batches.of(Batches.floatRows(0, 2, 2))));
      assertEquals(GrpcStatus.UNAUTHENTICATED, Batches.status(publisher.done()));
    }
    assertEquals(0, ingest.batches.size());
  }

  @Test
  void aRunThatIsNotOpenIsNotFound() throws Exception {
    GrpcCallException refused = Batches.failure(client.runStart("nowhere", 0));
    assertEquals(GrpcStatus.NOT_FOUND, refused.status());
    assertTrue(refused.getMessage().contains("no run nowhere is open"), refused.getMessage());
    assertEquals(GrpcStatus.NOT_FOUND, Batches.status(client.getSummary("nowhere", 0)));
    assertEquals(GrpcStatus.NOT_FOUND, Batches.status(client.sampledHistory("nowhere", 0)));
    assertEquals(GrpcStatus.NOT_FOUND, Batches.status(client.finish("nowhere", 0, 0)));
    GrpcPublisher publisher = publisher("nowhere", 0);
    publisher.send(Batches.of(Batches.floatRows(0, 2, 2)));
    assertEquals(GrpcStatus.NOT_FOUND, Batches.status(publisher.done()));
  }

  @Test
  void aCoordinatorsRefusalKeepsItsStatus() throws Exception {
    service
        .vertx
        .eventBus()
        .<com.google.protobuf.Message>consumer(
            dev.runbus.bus.Addresses.attach("r1"),
            m -> m.fail(dev.runbus.bus.Failures.RESOURCE_EXHAUSTED, "merge window full"))
        .completion()
        .await(10, TimeUnit.SECONDS);
    GrpcCallException refused = Batches.failure(client.pollExit("r1", 0));
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, refused.status());
    assertTrue(refused.getMessage().contains("merge window full"), refused.getMessage());
  }

  @Test
  void bigBatchesPauseTheStreamUntilTheyAreAnswered() throws Exception {
    GrpcFixture.Ingest ingest = service.ingest("r1");
    ingest.hold();
    GrpcPublisher publisher = publisher("r1", 0);
    int size = (int) (PublishWindow.PAUSE_BYTES * 3 / 8); // the third reaches the pause
    for (int i = 0; i < 6; i++) {
      publisher.send(Batches.ofSize(size));
    }
    ingest.awaitBatches(3);
    Thread.sleep(1000); // room for a fourth to arrive if the stream were read on
    assertEquals(3, ingest.batches.size(), "read on past the pause");

    ingest.release(service.vertx);
    publisher.end().await(30, TimeUnit.SECONDS);

    assertEquals(6, ingest.batches.size());
    assertEquals(6, publisher.acked());
  }

  @Test
  void attachTakesTheMetadatasTokenWhenTheRequestHasNone() throws Exception {
    AttachRequest attach =
        AttachRequest.newBuilder()
            .setRunId("r1")
            .setCreate(true)
            .setRank(RankIdentity.newBuilder().setRank(0))
            .build();
    assertTrue(client.attach(attach).await(30, TimeUnit.SECONDS).getCreated());
  }


}
