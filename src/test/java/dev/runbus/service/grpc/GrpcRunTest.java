package dev.runbus.service.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.RunLogs;
import dev.runbus.log.IndependentReader;
import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import dev.runbus.proto.ConfigItem;
import dev.runbus.proto.ConfigRecord;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.GetSummaryResponse;
import dev.runbus.proto.MetricRecord;
import dev.runbus.proto.MetricSummary;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.Record;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.SampledHistoryResponse;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import dev.runbus.service.ServiceConfig;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs through gRPC into a real kernel, on loopback, read back by W&B's reader. */
class GrpcRunTest {

  @TempDir Path dir;

  private static AttachRequest attach(String runId) {
    return AttachRequest.newBuilder()
        .setRunId(runId)
        .setCreate(true)
        .setRank(RankIdentity.newBuilder().setRank(0).setWorldSize(1).setHost("grpc-test"))
        .setRun(
            RunRecord.newBuilder()
                .setProject("grpc")
                .setConfig(
                    ConfigRecord.newBuilder()
                        .addUpdate(ConfigItem.newBuilder().setKey("lr").setValueJson("0.01"))))
        .build();
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.await(60, TimeUnit.SECONDS);
  }

  @Test
  void aRunLoggedThroughGrpcIsALogWandbsReaderAccepts() throws Exception {
    try (GrpcFixture service = GrpcFixture.plain(dir)) {
      GrpcRunClient client = service.client(GrpcFixture.TOKEN);
      AttachResponse run = await(client.attach(attach("grpc1")));
      assertTrue(run.getCreated());
      await(client.runStart("grpc1", 0));

      GrpcPublisher publisher = await(client.publish("grpc1", 0, PublishWindow.MAX_UNACKED));
      publisher.send(
          Batches.of(
              Record.newBuilder()
                  .setMetric(
                      MetricRecord.newBuilder()
                          .setName("m0")
                          .setSummary(MetricSummary.newBuilder().setMax(true)))
                  .build()));
      for (int block = 0; block < 10; block++) {
        publisher.send(Batches.of(Batches.floatRows(block * 100, 100, 10)));
      }
      publisher.send(Batches.of(Batches.partialHistory("note", "\"last row\"")));
      publisher.send(
          Batches.of(
              Record.newBuilder()
                  .setSummary(
                      SummaryRecord.newBuilder()
                          .addUpdate(SummaryItem.newBuilder().setKey("best").setValueJson("1.5")))
                  .build()));
      await(publisher.end());
      assertEquals(13, publisher.acked());

      GetSummaryResponse summary = await(client.getSummary("grpc1", 0));
      assertTrue(
          summary.getItemList().stream().anyMatch(i -> i.getKey().equals("best")),
          summary.toString());
      FinishResponse finished = await(client.finish("grpc1", 0, 0));
      assertEquals(1001, finished.getHistoryRows());
      SampledHistoryResponse history = await(client.sampledHistory("grpc1", 0));
      assertTrue(history.getItemList().stream().anyMatch(i -> i.getKey().equals("m9")));
      await(client.closeRun("grpc1", 0));
      service.awaitNoRuns();

      Path log = Path.of(run.getLogPath());
      Map<String, Integer> types = IndependentReader.typeCounts(log);
      assertEquals(1001, types.get("history"), types.toString());
      assertEquals(1, types.get("exit"), types.toString());
      List<Map<String, String>> rows = RunLogs.history(RunLogs.records(log));
      assertEquals("999.3", rows.get(999).get("m3"));
      assertEquals("999", rows.get(999).get("_step"));
      assertEquals("\"last row\"", rows.get(1000).get("note"));
    }
  }

  @Test
  void aRejectedClientWritesNothing() throws Exception {
    try (GrpcFixture service = GrpcFixture.plain(dir)) {
      for (String token : new String[] {null, "guess"}) {
        GrpcRunClient stranger = service.client(token);
        assertEquals(
            GrpcStatus.UNAUTHENTICATED, Batches.status(stranger.attach(attach("intruder"))));
        // the token inside the request does not get a caller without the metadata's past it
        assertEquals(
            GrpcStatus.UNAUTHENTICATED,
            Batches.status(
                stranger.attach(attach("intruder").toBuilder().setToken(GrpcFixture.TOKEN).build())));
      }
      assertEquals(0, service.host.openRuns());
      try (Stream<Path> files = Files.walk(dir)) {
        assertEquals(List.of(dir), files.toList(), "a refused client left files behind");
      }
    }
  }

  @Test
  void servesARunOverTlsWithASelfSignedCertificate() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    ServiceConfig.Listener tls =
        new ServiceConfig.Listener(
            "127.0.0.1",
            GrpcFixture.freePort(),
            certificate.certificatePath(),
            certificate.privateKeyPath());
    try (GrpcFixture service = new GrpcFixture(dir, tls)) {
      GrpcRunClient client =
          service.client(GrpcFixture.TOKEN, certificate.trustOptions(), "localhost");
      AttachResponse run = await(client.attach(attach("tls1")));
      GrpcPublisher publisher = await(client.publish("tls1", 0, PublishWindow.MAX_UNACKED));
      publisher.send(Batches.of(Batches.floatRows(0, 10, 3)));
      await(publisher.end());
      assertEquals(10, await(client.finish("tls1", 0, 0)).getHistoryRows());
      await(client.closeRun("tls1", 0));
      service.awaitNoRuns();
      assertEquals(10, IndependentReader.typeCounts(Path.of(run.getLogPath())).get("history"));

      // a client that does not speak TLS gets nowhere, and no run is opened
      GrpcRunClient plain = service.client(GrpcFixture.TOKEN);
      assertFalse(succeeds(plain.attach(attach("plain1"))));
      assertEquals(0, service.host.openRuns());
    }
  }

  /** Whether the call succeeds; one still waiting after a few seconds does not. */
  private static boolean succeeds(io.vertx.core.Future<?> call) {
    try {
      call.await(5, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
