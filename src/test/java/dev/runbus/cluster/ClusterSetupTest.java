package dev.runbus.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSetupTest {

  @TempDir Path dir;

  private static final Properties NO_PROPERTIES = new Properties();

  @Test
  void theEnvironmentVariableWinsThenThePropertyThenTheWorkingDirectoryThenTheDefault()
      throws Exception {
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("conf/cluster.xml"), "<hazelcast/>");
    Properties property = new Properties();
    property.setProperty(ClusterSetup.CONFIG_PROPERTY, "prop.xml");

    assertEquals(
        dir.resolve("env.xml"),
        ClusterSetup.source(Map.of(ClusterSetup.CONFIG_VARIABLE, "env.xml"), property, dir).file());
    assertEquals(dir.resolve("prop.xml"), ClusterSetup.source(Map.of(), property, dir).file());
    assertEquals(
        dir.resolve("conf/cluster.xml"), ClusterSetup.source(Map.of(), NO_PROPERTIES, dir).file());
    ClusterSetup.Source fallback =
        ClusterSetup.source(Map.of(), NO_PROPERTIES, dir.resolve("elsewhere"));
    assertNull(fallback.file());
    assertEquals(ClusterSetup.DEFAULT_RESOURCE, fallback.resource());
    Properties classpath = new Properties();
    classpath.setProperty(ClusterSetup.CONFIG_PROPERTY, "classpath:some/cluster.xml");
    assertEquals("some/cluster.xml", ClusterSetup.source(Map.of(), classpath, dir).resource());
  }

  @Test
  void theDefaultKeepsTheClusterOnLoopbackWithVertxsMaps() {
    Config config =
        ClusterSetup.load(ClusterSetup.source(Map.of(), NO_PROPERTIES, dir.resolve("none")));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1"), join.getTcpIpConfig().getMembers());
    assertTrue(config.getNetworkConfig().getInterfaces().isEnabled());
    assertEquals(
        List.of("127.0.0.1"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals("runbus", config.getClusterName());
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    assertEquals("false", config.getProperty("hazelcast.shutdownhook.enabled"));
    assertEquals("0", config.getProperty("hazelcast.wait.seconds.before.join"));
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
    assertEquals("SET", config.getMultiMapConfig("__vertx.subs").getValueCollectionType().name());
    assertTrue(config.getMapConfigs().containsKey("__vertx.nodeInfo"));
    assertTrue(config.getMapConfigs().containsKey("__vertx.haInfo"));
  }

  @Test
  void theShippedConfFileIsTheBuiltInDefault() throws Exception {
    String shipped = Files.readString(Path.of("conf", "cluster.xml"));
    try (InputStream in =
        ClusterSetup.class.getClassLoader().getResourceAsStream(ClusterSetup.DEFAULT_RESOURCE)) {
      assertEquals(shipped, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void aRankIsALiteMemberAndAServiceIsNot() {
    Config config =
        ClusterSetup.load(ClusterSetup.source(Map.of(), NO_PROPERTIES, dir.resolve("none")));
    assertFalse(
        ((HazelcastClusterManager) ClusterSetup.forService(config)).getConfig().isLiteMember());
    assertTrue(
        ((HazelcastClusterManager) ClusterSetup.forClient(config)).getConfig().isLiteMember());
  }

  @Test
  void aNamedFileThatIsMissingOrBrokenIsAnErrorNamingIt() throws Exception {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClusterSetup.load(
                    ClusterSetup.source(
                        Map.of(ClusterSetup.CONFIG_VARIABLE, "nope.xml"), NO_PROPERTIES, dir)));
    assertTrue(missing.getMessage().contains("nope.xml"), missing.getMessage());
    assertTrue(missing.getMessage().contains(ClusterSetup.CONFIG_VARIABLE), missing.getMessage());
    Files.writeString(dir.resolve("broken.xml"), "<hazelcast><network><port>x</port>");
    IllegalArgumentException broken =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClusterSetup.load(
                    ClusterSetup.source(
                        Map.of(ClusterSetup.CONFIG_VARIABLE, "broken.xml"), NO_PROPERTIES, dir)));
    assertTrue(broken.getMessage().contains("broken.xml"), broken.getMessage());
  }

  @Test
  void theEventBusBindsLoopbackUnlessToldOtherwise() {
    VertxOptions loopback = ClusterSetup.eventBus(new VertxOptions(), Map.of());
    assertEquals("127.0.0.1", loopback.getEventBusOptions().getHost());
    assertEquals("127.0.0.1", loopback.getEventBusOptions().getClusterPublicHost());
    VertxOptions told =
        ClusterSetup.eventBus(
            new VertxOptions(), Map.of(ClusterSetup.HOST_VARIABLE, "10.0.0.6"));
    assertEquals("10.0.0.6", told.getEventBusOptions().getHost());
  }
}
