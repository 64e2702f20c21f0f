package dev.runbus.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.Run;
import dev.runbus.RunLogs;
import dev.runbus.RunResult;
import dev.runbus.Runbus;
import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.kernel.Kernel;
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
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.DeploymentContext;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KernelVerticle's two roles in an application's own Vert.x: deployed by name it is the service
 * (configuration, token, transports) and the application's embedded runs still work beside it;
 * {@link Kernel#deploy} gives the kernel alone.
 */
class KernelRolesTest {

  private static final String BY_NAME = "dev.runbus.kernel.KernelVerticle";

  @TempDir Path dir;
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private JsonObject serviceConf(Path data) throws IOException {
    return new JsonObject()
        .put("data", data.toString())
        .put("grpc", new JsonObject().put("host", "127.0.0.1").put("port", freePort()))
        .put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", freePort()));
  }

  private DeploymentContext deploymentOf(Class<?> type) {
    for (DeploymentContext d : ((VertxInternal) vertx).deploymentManager().deployments()) {
      for (Deployable instance : d.deployment().instances()) {
        if (type.isInstance(instance)) {
          return d;
        }
      }
    }
    return null;
  }

  @Test
  void deployedByNameItIsTheServiceAndEmbeddedRunsStillWorkBesideIt() throws Exception {
    Path data = dir.resolve("service");
    String id =
        vertx
            .deployVerticle(BY_NAME, new DeploymentOptions().setConfig(serviceConf(data)))
            .await(60, TimeUnit.SECONDS);

    Path token = data.resolve(ServiceToken.FILE);
    assertTrue(Files.isRegularFile(token), "the first start creates the token");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
    DeploymentContext service = deploymentOf(ServiceVerticle.class);
    assertTrue(service != null, "a ServiceVerticle is deployed");
    // beside the deployment the application undeploys, never under it: its stop() must finish
    // the hosted runs before Vert.x undeploys the pipelines (children go first)
    assertFalse(service.isChild(), "the service is nobody's child");

    Run run = Runbus.init(vertx, RunLogs.quietOffline(dir.resolve("app")).build());
    for (int i = 0; i < 10; i++) {
      run.log(Map.of("x", i));
    }
    RunResult result = run.finish();
    assertEquals(10, RunLogs.history(RunLogs.records(result.logFile())).size());
    String kernelId = Kernel.deploy(vertx).await(10, TimeUnit.SECONDS);
    assertTrue(
        ((VertxInternal) vertx).deploymentManager().deployment(kernelId).isChild(),
        "the runs' kernel lives under the service");

    vertx.undeploy(id).await(60, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!vertx.deploymentIDs().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, vertx.deploymentIDs().size(), "undeploying it stops the whole service");

    String again =
        vertx
            .deployVerticle(BY_NAME, new DeploymentOptions().setConfig(serviceConf(data)))
            .await(60, TimeUnit.SECONDS);
    assertTrue(vertx.deploymentIDs().contains(again), "a second start keeps the token");
    assertEquals(65, Files.readString(token).length());
  }

  /**
   * Undeploying the service (an application's undeploy, or Vert.x closing: what SIGTERM does
   * through the launcher's shutdown hook) finishes the runs it hosts first: each log ends with
   * exit, summary, final and footer, every row acknowledged in it. Without the close hook, or with
   * the service deployed under the kernel, Vert.x would undeploy the pipelines first.
   */
  @ParameterizedTest(name = "by {0}")
  @ValueSource(strings = {"undeploy", "close"})
  void stoppingTheServiceFinishesTheRunsItHostsFirst(String how) throws Exception {
    Path data = dir.resolve("service");
    JsonObject conf =
        new JsonObject().put("data", data.toString()).put("token", "secret").put("grpc", false).put("bridge", false);
    String id = vertx.deployVerticle(BY_NAME, new DeploymentOptions().setConfig(conf)).await(60, TimeUnit.SECONDS);
    RunHost host = ((ServiceVerticle) deploymentOf(ServiceVerticle.class).deployment().instances().iterator().next()).host();
    AttachResponse run =
        host.attach(
                AttachRequest.newBuilder()
                    .setToken("secret")
                    .setRunId("hosted1")
                    .setCreate(true)
                    .setRank(RankIdentity.newBuilder().setRank(0).setWorldSize(1).setHost("h"))
                    .setRun(RunRecord.newBuilder().setProject("p"))
                    .build())
            .await(30, TimeUnit.SECONDS);
    RecordBatch.Builder rows = RecordBatch.newBuilder();
    for (int step = 0; step < 50; step++) {
      PartialHistoryRequest.Builder row =
          PartialHistoryRequest.newBuilder()
              .addItem(HistoryItem.newBuilder().setKey("x").setValueJson(Integer.toString(step)))
              .setStep(HistoryStep.newBuilder().setNum(step))
              .setAction(HistoryAction.newBuilder().setFlush(true));
      rows.addRecord(Record.newBuilder().setRequest(Request.newBuilder().setPartialHistory(row)));
    }
    vertx
        .eventBus()
        .request(
            run.getIngestAddress(),
            rows.build(),
            Bus.protobuf().addHeader(Addresses.RANK_HEADER, "0"))
        .await(30, TimeUnit.SECONDS);

    if (how.equals("close")) {
      vertx.close().await(60, TimeUnit.SECONDS);
    } else {
      vertx.undeploy(id).await(60, TimeUnit.SECONDS);
    }

    List<Record> records = RunLogs.records(Path.of(run.getLogPath()));
    List<String> types = RunLogs.types(records);
    assertEquals(
        List.of("exit", "summary", "final", "footer"),
        types.subList(types.size() - 4, types.size()),
        types.toString());
    assertEquals(50, RunLogs.history(records).size());
  }

  @Test
  void kernelDeployIsTheKernelAloneWithoutListenersOrFiles() throws Exception {
    String id = Kernel.deploy(vertx).await(30, TimeUnit.SECONDS);
    assertEquals(1, vertx.deploymentIDs().size(), vertx.deploymentIDs().toString());
    assertTrue(vertx.deploymentIDs().contains(id));
    assertEquals(null, deploymentOf(ServiceVerticle.class), "no service in the embedded role");
    Run run = Runbus.init(vertx, RunLogs.quietOffline(dir).build());
    run.log(Map.of("x", 1));
    assertEquals(1, run.finish().historyRows());
  }

  @Test
  void aDataDirectoryThatCannotBeMadeFailsTheStartNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    JsonObject conf = serviceConf(file.resolve("data"));
    Exception failed =
        assertThrows(
            Exception.class,
            () ->
                vertx
                    .deployVerticle(BY_NAME, new DeploymentOptions().setConfig(conf))
                    .await(60, TimeUnit.SECONDS));
    Throwable cause = failed instanceof java.util.concurrent.ExecutionException ? failed.getCause() : failed;
    assertTrue(
        cause.getMessage().startsWith("cannot keep the service's data and token in " + file.resolve("data")),
        cause.getMessage());
    assertEquals(0, vertx.deploymentIDs().size(), vertx.deploymentIDs().toString());
  }

  @Test
  void aBadConfigurationFailsTheDeploymentNamingKeyAndValueAndLeavesNothing() throws Exception {
    JsonObject conf = serviceConf(dir.resolve("d")).put("grpc", new JsonObject().put("port", 70000));
    Exception failed =
        assertThrows(
            Exception.class,
            () ->
                vertx
                    .deployVerticle(BY_NAME, new DeploymentOptions().setConfig(conf))
                    .await(60, TimeUnit.SECONDS));
    Throwable cause = failed instanceof java.util.concurrent.ExecutionException ? failed.getCause() : failed;
    assertEquals("-conf: grpc.port: 70000 is out of range (0 to 65535)", cause.getMessage());
    assertEquals(0, vertx.deploymentIDs().size(), vertx.deploymentIDs().toString());
    assertFalse(Files.exists(dir.resolve("d")), "nothing written");
  }
}
