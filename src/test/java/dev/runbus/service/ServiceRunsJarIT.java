package dev.runbus.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.RunLogs;
import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import dev.runbus.proto.HistoryAction;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.proto.RunRecord;
import dev.runbus.service.grpc.GrpcPublisher;
import dev.runbus.service.grpc.GrpcRunClient;
import dev.runbus.testing.ChildProcess;
import dev.runbus.testing.PackagedJar;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way of deploying the service serves a run: a gRPC client logs into {@code runbus service}
 * and into Vert.x's stock launcher running KernelVerticle; SIGTERM mid-run ends the hosted run
 * properly (its log ends exit, summary, final, footer, every acknowledged row in it).
 */
class ServiceRunsJarIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final String TOKEN = "it-token";

  @TempDir Path work;
  private Vertx vertx;
  private GrpcRunClient client; // a field: Vert.x reclaims unreachable clients

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private JsonObject conf(int grpc) {
    return new JsonObject()
        .put("data", work.resolve("data").toString())
        .put("token", TOKEN)
        .put("grpc", new JsonObject().put("host", "127.0.0.1").put("port", grpc))
        .put("bridge", false);
  }

  private static RecordBatch rows(int from, int count) {
    RecordBatch.Builder batch = RecordBatch.newBuilder();
    for (int step = from; step < from + count; step++) {
      batch.addRecord(
          Record.newBuilder()
              .setRequest(
                  Request.newBuilder()
                      .setPartialHistory(
                          PartialHistoryRequest.newBuilder()
                              .addItem(HistoryItem.newBuilder().setKey("x").setValueJson(Integer.toString(step)))
                              .setStep(HistoryStep.newBuilder().setNum(step))
                              .setAction(HistoryAction.newBuilder().setFlush(true)))));
    }
    return batch.build();
  }

  /** Attaches run {@code runId} over gRPC and logs 500 rows; returns where its log is. */
  private Path logRows(int port, String runId) throws Exception {
    client = GrpcRunClient.connect(vertx, "127.0.0.1", port, TOKEN, null);
    AttachResponse run =
        client
            .attach(
                AttachRequest.newBuilder()
                    .setRunId(runId)
                    .setCreate(true)
                    .setRank(RankIdentity.newBuilder().setRank(0).setWorldSize(1).setHost("it"))
                    .setRun(RunRecord.newBuilder().setProject("svc"))
                    .build())
            .await(60, TimeUnit.SECONDS);
    client.runStart(runId, 0).await(60, TimeUnit.SECONDS);
    GrpcPublisher publisher = client.publish(runId, 0, 8).await(60, TimeUnit.SECONDS);
    for (int b = 0; b < 5; b++) {
      publisher.send(rows(b * 100, 100));
    }
    publisher.end().await(60, TimeUnit.SECONDS);
    assertEquals(5, publisher.acked());
    return Path.of(run.getLogPath());
  }

  private static void assertEndedProperly(Path log, int exitCode) throws Exception {
    List<Record> records = RunLogs.records(log);
    List<String> types = RunLogs.types(records);
    assertEquals(
        List.of("exit", "summary", "final", "footer"), types.subList(types.size() - 4, types.size()), types.toString());
    assertEquals(exitCode, records.get(records.size() - 4).getExit().getExitCode());
    assertEquals(500, RunLogs.history(records).size());
  }

  @Test
  void theServiceCommandServesARunAndSigtermEndsItProperly() throws Exception {
    int port = freePort();
    List<String> args = new ArrayList<>(List.of("service", "-conf", conf(port).encode()));
    try (ChildProcess service = ChildProcess.in(work, PackagedJar.command(List.of("-Xmx256m"), args), Map.of())) {
      service.await(ServiceVerticle.READY, START);
      Path log = logRows(port, "served1");
      assertEquals(143, service.terminate(Duration.ofSeconds(60)), service.output());
      assertEndedProperly(log, 143);
    }
  }

  /** The port the ready line names for a transport ("gRPC on 127.0.0.1:PORT"). */
  private static int portIn(String ready, String transport) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(transport + " on 127\\.0\\.0\\.1:(\\d+)").matcher(ready);
    assertTrue(m.find(), ready);
    return Integer.parseInt(m.group(1));
  }

  @Test
  void theStockLauncherServesARunOnThePortsItChoseAndNamed() throws Exception {
    JsonObject conf = conf(0).put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-cp", PackagedJar.path().toString(),
            "io.vertx.launcher.application.VertxApplication", "dev.runbus.kernel.KernelVerticle",
            "-conf", conf.encode());
    try (ChildProcess service = ChildProcess.in(work, command, Map.of())) {
      String ready = service.await(ServiceVerticle.READY, START);
      int port = portIn(ready, "gRPC");
      int bridge = portIn(ready, "bridge");
      assertTrue(port > 0 && bridge > 0 && port != bridge, ready);
      new java.net.Socket("127.0.0.1", bridge).close(); // the bridge listens where it said
      Path log = logRows(port, "stock1");
      assertEquals(500, client.finish("stock1", 0, 0).await(60, TimeUnit.SECONDS).getHistoryRows());
      client.closeRun("stock1", 0).await(60, TimeUnit.SECONDS);
      assertEndedProperly(log, 0);
      assertEquals(143, service.terminate(Duration.ofSeconds(60)), service.output());
    }
  }
}
