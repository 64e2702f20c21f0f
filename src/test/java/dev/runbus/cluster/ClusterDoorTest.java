package dev.runbus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.Run;
import dev.runbus.Runbus;
import dev.runbus.RunResult;
import dev.runbus.RunbusException;
import dev.runbus.Settings;
import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.bus.Failures;
import dev.runbus.kernel.Kernel;
import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.Record;
import dev.runbus.service.RunHost;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceContext;
import dev.runbus.service.ServiceToken;
import dev.runbus.service.cluster.ClusterDoorVerticle;
import dev.runbus.testing.ChildProcess;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service node (a full member) with the attach door and a rank (a lite member, through {@code
 * Runbus.init}) in one JVM, on a cluster of this test's own.
 */
class ClusterDoorTest {

  @TempDir static Path dir;

  private static Vertx service;
  private static String door;

  @BeforeAll
  static void startService() throws Exception {
    TestClusters.quiet();
    Path xml = TestClusters.write(dir.resolve("cluster"));
    // the rank's node reads it as a user's would name it
    System.setProperty(ClusterSetup.CONFIG_PROPERTY, xml.toString());
    service = TestClusters.node(ClusterSetup.forService(TestClusters.load(xml)));
    ServiceConfig defaults = ServiceConfig.defaults(dir.resolve("service"));
    // a primary waits 20 s for the other ranks, so a rank not seen to vanish shows as timed out
    ServiceConfig config =
        new ServiceConfig(
            defaults.dataDir(),
            null,
            null,
            null,
            null,
            null,
            Duration.ofSeconds(20),
            defaults.stragglerTimeout(),
            defaults.mergeWindowBytes(),
            defaults.maxRanks());
    ServiceToken token = ServiceToken.of("right-token");
    Kernel.deploy(service).await(60, TimeUnit.SECONDS);
    door =
        service
            .deployVerticle(
                new ClusterDoorVerticle(
                    new ServiceContext(config, token, new RunHost(service, config, token))))
            .await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopService() throws Exception {
    System.clearProperty(ClusterSetup.CONFIG_PROPERTY);
    if (service != null) {
      service.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static Settings rank(String runId, int rank, String token) {
    return Settings.builder()
        .environment(Map.of())
        .attach(true)
        .runId(runId)
        .rank(rank)
        .worldSize(2)
        .serviceToken(token)
        .quiet(true)
        .build();
  }

  @Test
  void twoRanksLogIntoOneRunOnTheService() throws Exception {
    Run primary = Runbus.init(rank("together", 0, "right-token"));
    Run second = Runbus.init(rank("together", 1, "right-token"));
    for (int rank = 0; rank < 2; rank++) {
      Run run = rank == 0 ? primary : second;
      for (int i = 0; i < 1000; i++) {
        run.log(Map.of("loss", rank * 1e6 + i, "acc", i / 1000.0));
      }
    }
    RunResult secondResult = second.finish(0);
    RunResult result = primary.finish(0);
    // where the run lives is the service's data directory, not this process's
    assertTrue(result.logFile().startsWith(dir.resolve("service")), result.logFile().toString());
    assertEquals(result.logFile(), secondResult.logFile());
    assertEquals(result.logFile(), primary.logFile());
    RankLog log = RankLog.read(result.logFile());
    log.check(1000, new int[] {0, 1}, new int[0], 0);
    assertEquals("finished", log.ranks().getJsonObject("0").getString("state"));
    assertEquals("finished", log.ranks().getJsonObject("1").getString("state"));
  }

  @Test
  void aRanksNodeIsALiteMember() {
    Run run = Runbus.init(rank("quick", 0, "wrong-token"));
    Vertx node = clientNode();
    assertTrue(
        ((io.vertx.spi.cluster.hazelcast.HazelcastClusterManager)
                ((VertxInternal) node).clusterManager())
            .getConfig()
            .isLiteMember());
    assertThrows(RunbusException.class, () -> run.finish(0));
  }

  @Test
  void aRefusedAttachIsOneErrorInTheServicesWordsAndTheRunIsDead() throws Exception {
    Run run = Runbus.init(rank("refused", 0, "wrong-token"));
    RunbusException thrown = awaitDead(run);
    assertTrue(
        thrown
            .getMessage()
            .contains("the service refused rank 0 of run refused (UNAUTHENTICATED): wrong token"),
        thrown.getMessage());
    RunbusException finish = assertThrows(RunbusException.class, () -> run.finish(0));
    assertTrue(finish.getMessage().contains("the service refused"), finish.getMessage());
  }

  @Test
  void theDoorTakesOnlyAttachRequests() throws Exception {
    ReplyException record =
        assertThrows(
            ReplyException.class,
            () ->
                clientNode()
                    .eventBus()
                    .request(Addresses.SERVICE_ATTACH, Record.getDefaultInstance(), Bus.protobuf())
                    .await(30, TimeUnit.SECONDS));
    assertEquals(Failures.BAD_RECORD, record.failureCode(), record.getMessage());
    assertTrue(record.getMessage().contains("takes an AttachRequest"), record.getMessage());
    ReplyException refused =
        assertThrows(
            ReplyException.class,
            () ->
                clientNode()
                    .eventBus()
                    .request(
                        Addresses.SERVICE_ATTACH,
                        RankIdentity.newBuilder().setRank(1).build(),
                        Bus.protobuf())
                    .await(30, TimeUnit.SECONDS));
    assertEquals(Failures.BAD_RECORD, refused.failureCode(), refused.getMessage());
    assertTrue(refused.getMessage().contains("could not read"), refused.getMessage());
  }

  @Test
  void aRankWhoseNodeLeavesIsRecordedAsVanished() throws Exception {
    Run primary = Runbus.init(rank("vanish", 0, "right-token"));
    // rank 1 attaches from a node of its own, which then leaves the cluster without a word
    Vertx other =
        TestClusters.node(
            ClusterSetup.forClient(TestClusters.load(dir.resolve("cluster/cluster.xml"))));
    AttachResponse attached =
        (AttachResponse)
            other
                .eventBus()
                .request(
                    Addresses.SERVICE_ATTACH,
                    AttachRequest.newBuilder()
                        .setToken("right-token")
                        .setRunId("vanish")
                        .setCreate(true)
                        .setLabelKeys(true)
                        .setRank(
                            RankIdentity.newBuilder()
                                .setRank(1)
                                .setWorldSize(2)
                                .setNodeId(((VertxInternal) other).clusterManager().getNodeId()))
                        .build(),
                    Bus.protobuf())
                .await(60, TimeUnit.SECONDS)
                .body();
    assertEquals(Addresses.attach("vanish"), attached.getIngestAddress());
    other.close().await(30, TimeUnit.SECONDS);
    for (int i = 0; i < 100; i++) {
      primary.log(Map.of("loss", (double) i, "acc", 0.5));
    }
    RankLog log = RankLog.read(primary.finish(0).logFile());
    assertEquals("vanished", log.ranks().getJsonObject("1").getString("state"), log.ranks().encode());
    assertEquals("finished", log.ranks().getJsonObject("0").getString("state"));
  }

  @Test
  void aNodeThatLeavesIsNamedByItsVertxNodeId() throws Exception {
    clientNode(); // the service is not alone, so its partitions stay put
    CompletableFuture<String> left = new CompletableFuture<>();
    try (MembershipWatch watch =
        MembershipWatch.start(((VertxInternal) service).clusterManager(), left::complete)) {
      Path xml = dir.resolve("cluster/cluster.xml");
      Vertx other = TestClusters.node(ClusterSetup.forClient(TestClusters.load(xml)));
      String id = ((VertxInternal) other).clusterManager().getNodeId();
      other.close().await(30, TimeUnit.SECONDS);
      assertEquals(id, left.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void aRanksJvmEndsWhenItsMainReturns() throws Exception {
    // Hazelcast's threads are not daemons: a finished rank's node must leave the cluster
    try (ChildProcess worker = worker("exits", "1000")) {
      assertTrue(worker.await("finished ", Duration.ofSeconds(60)).startsWith("1000 rows"));
      assertEquals(0, worker.exitCode(Duration.ofSeconds(30)), worker.output());
    }
  }

  @Test
  void aRankThatReturnsWithoutFinishingIsFinishedAndItsJvmEnds() throws Exception {
    try (ChildProcess worker = worker("unfinished", "1000", "1000", "0", "unfinished")) {
      worker.await("returning", Duration.ofSeconds(60));
      assertEquals(0, worker.exitCode(Duration.ofSeconds(30)), worker.output());
      // finished at exit, as the JVM's exit finishes an embedded run
      assertTrue(
          worker.stderr().stream().anyMatch(line -> line.contains("1,000 history rows")),
          worker.output());
    }
  }

  /** A rank in a JVM of its own, attaching through the environment. */
  private static ChildProcess worker(String runId, String... args) throws Exception {
    Path xml = dir.resolve("cluster/cluster.xml");
    java.util.List<String> options = new java.util.ArrayList<>(TestClusters.JVM_OPENS);
    options.add("-Xmx128m");
    return ChildProcess.java(
        Map.of(
            "RUNBUS_ATTACH", "cluster",
            "RUNBUS_SERVICE_TOKEN", "right-token",
            "WANDB_RUN_ID", runId,
            "RUNBUS_CLUSTER_CONFIG", xml.toString()),
        options,
        RankWorker.class,
        args);
  }

  /** The rank's clustered node (the one the runs of this JVM share). */
  private static Vertx clientNode() {
    try {
      Class<?> client = Class.forName("dev.runbus.client.ClusterClient");
      var instance = client.getDeclaredMethod("instance");
      instance.setAccessible(true);
      @SuppressWarnings("unchecked")
      CompletableFuture<Vertx> node = (CompletableFuture<Vertx>) instance.invoke(null);
      return node.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Logs until the run is dead, at most 30 s; returns what log() threw. */
  private static RunbusException awaitDead(Run run) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        run.log(Map.of("loss", 1.0));
      } catch (RunbusException e) {
        return e;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the run was still taking rows after 30 s");
  }
}
