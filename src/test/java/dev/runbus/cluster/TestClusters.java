package dev.runbus.cluster;

import com.hazelcast.config.Config;
import dev.runbus.bus.Bus;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of this test run's own: runbus's default configuration with a cluster name nobody else
 * uses and a base port that was free a moment ago, so tests running side by side (or a service a
 * developer runs on the default port) never join each other.
 */
public final class TestClusters {

  /** Held so the levels stay set (JUL keeps loggers weakly). */
  private static final java.util.logging.Logger HAZELCAST = java.util.logging.Logger.getLogger("com.hazelcast");
  private static final java.util.logging.Logger CP =
      java.util.logging.Logger.getLogger("com.hazelcast.cp.CPSubsystem");

  /** What Hazelcast wants opened on Java 9+ (as the pom's argLine and the jar's manifest give it). */
  public static final java.util.List<String> JVM_OPENS =
      java.util.List.of(
          "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang=ALL-UNNAMED",
          "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens", "java.management/sun.management=ALL-UNNAMED",
          "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private TestClusters() {}

  /** Hazelcast's ~80 INFO lines per node, as the standalone jar quiets them. */
  public static void quiet() {
    HAZELCAST.setLevel(java.util.logging.Level.WARNING);
    CP.setLevel(java.util.logging.Level.SEVERE);
  }

  /** Writes the configuration to {@code dir}/cluster.xml and returns its path. */
  public static Path write(Path dir) throws IOException {
    String xml;
    try (InputStream in =
        ClusterSetup.class.getClassLoader().getResourceAsStream(ClusterSetup.DEFAULT_RESOURCE)) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String name = "runbus-test-" + UUID.randomUUID();
    int port = freePort();
    xml =
        xml.replace("<cluster-name>runbus</cluster-name>", "<cluster-name>" + name + "</cluster-name>")
            .replace(">5701</port>", ">" + port + "</port>");
    Files.createDirectories(dir);
    Path file = dir.resolve("cluster.xml");
    Files.writeString(file, xml);
    return file;
  }

  public static Config load(Path file) {
    return ClusterSetup.load(new ClusterSetup.Source(file, null, "test cluster"));
  }

  /** A clustered Vert.x on loopback with {@code manager}, the protobuf codec registered. */
  public static Vertx node(ClusterManager manager) throws Exception {
    quiet();
    Vertx vertx =
        Vertx.builder()
            .with(ClusterSetup.eventBus(new VertxOptions(), Map.of()))
            .withClusterManager(manager)
            .buildClustered()
            .await(60, TimeUnit.SECONDS);
    Bus.registerCodec(vertx);
    return vertx;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      // Hazelcast's ports must not wrap past 65535 as members auto-increment from here
      return Math.min(socket.getLocalPort(), 65_000);
    }
  }
}
