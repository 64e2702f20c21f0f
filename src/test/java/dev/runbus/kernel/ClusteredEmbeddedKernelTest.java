package dev.runbus.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.runbus.Run;
import dev.runbus.RunLogs;
import dev.runbus.RunResult;
import dev.runbus.Runbus;
import dev.runbus.bus.Bus;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application whose own Vert.x is clustered (two Hazelcast nodes here, in one JVM, both with
 * an embedded kernel): a run opened on node A is served by node A's kernel and pipeline only. If
 * the kernel's door were cluster-wide, the event bus would hand every other open to node B, whose
 * pipeline node A cannot reach (its stages listen locally): such runs fail to start.
 */
class ClusteredEmbeddedKernelTest {

  // Hazelcast's 80 INFO lines per node say nothing this test needs (held: JUL keeps loggers weakly)
  private static final java.util.logging.Logger HAZELCAST = quiet("com.hazelcast");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  @TempDir Path dir;
  private final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    // one at a time: closing both at once makes Hazelcast warn about migrations
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close().await(60, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Hazelcast on loopback only, members listed, no multicast, this test's own cluster name. */
  private static Config loopback(String name, int port, int otherPort) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(name);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig()
        .setEnabled(true)
        .setMembers(List.of("127.0.0.1:" + port, "127.0.0.1:" + otherPort));
    return config;
  }

  private Vertx node(String name, int port, int otherPort) throws Exception {
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setEventBusOptions(
                        new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1")))
            .withClusterManager(new HazelcastClusterManager(loopback(name, port, otherPort)))
            .buildClustered()
            .await(120, TimeUnit.SECONDS);
    nodes.add(vertx);
    Bus.registerCodec(vertx);
    return vertx;
  }

  @Test
  void aRunOpenedOnOneNodeIsServedByThatNodesKernel() throws Exception {
    String name = "runbus-test-" + UUID.randomUUID();
    int portA = freePort();
    int portB = freePort();
    Vertx a = node(name, portA, portB);
    Vertx b = node(name, portB, portA);
    Kernel.deploy(a).await(30, TimeUnit.SECONDS);
    Kernel.deploy(b).await(30, TimeUnit.SECONDS);
    int deployedOnB = b.deploymentIDs().size();

    // several runs: a cluster-wide door takes turns, so one of them would land on B
    for (int r = 0; r < 4; r++) {
      Run run = Runbus.init(a, RunLogs.quietOffline(dir.resolve("run" + r)).build());
      for (int i = 0; i < 20; i++) {
        run.log(Map.of("x", i));
      }
      run.summary().asMap(); // answered by the run's Handler: its pipeline is up
      assertEquals(deployedOnB, b.deploymentIDs().size(), "node B deployed nothing for run " + r);
      RunResult result = run.finish();
      assertEquals(20, RunLogs.history(RunLogs.records(result.logFile())).size());
    }
  }
}
