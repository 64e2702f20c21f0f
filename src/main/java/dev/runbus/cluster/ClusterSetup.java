package dev.runbus.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * How runbus joins a Hazelcast cluster: a service as a full member, an attaching rank as a lite
 * member (it holds no partitions, so ranks coming and going never migrate the service's data).
 *
 * <p>The Hazelcast configuration comes from, in order: the file named by {@value #CONFIG_VARIABLE}
 * (environment) or {@value #CONFIG_PROPERTY} (system property, as vertx-hazelcast reads it;
 * {@code classpath:} names a resource), {@code conf/cluster.xml} in the working directory, else
 * runbus's built-in default, which is the same as the {@code conf/cluster.xml} runbus ships:
 * loopback TCP-IP members, no multicast, no auto-detection. The built-in one is not named {@code
 * cluster.xml}: at the classpath's root that name would reconfigure any clustered Vert.x of a host
 * application that has runbus on its classpath.
 */
public final class ClusterSetup {

  /** The environment variable naming a Hazelcast XML file. */
  public static final String CONFIG_VARIABLE = "RUNBUS_CLUSTER_CONFIG";

  /** The system property vertx-hazelcast itself reads. */
  public static final String CONFIG_PROPERTY = "vertx.hazelcast.config";

  /** The address this node's event bus binds and announces; 127.0.0.1 when unset. */
  public static final String HOST_VARIABLE = "RUNBUS_CLUSTER_HOST";

  public static final String LOOPBACK = "127.0.0.1";

  static final Path WORKING_DIRECTORY_FILE = Path.of("conf", "cluster.xml");
  /** runbus's built-in configuration, a classpath resource. */
  public static final String DEFAULT_RESOURCE = "dev/runbus/cluster/default-cluster.xml";

  private ClusterSetup() {}

  /**
   * Where a configuration comes from.
   *
   * @param file a file; null for a classpath resource
   * @param resource a classpath resource; null for a file
   * @param why what chose it, for messages
   */
  public record Source(Path file, String resource, String why) {
    @Override
    public String toString() {
      return (file != null ? file.toString() : "classpath:" + resource) + " (" + why + ")";
    }
  }

  /** The source the given environment, system properties and working directory choose. */
  public static Source source(Map<String, String> env, Properties system, Path workingDir) {
    String named = env.get(CONFIG_VARIABLE);
    if (named != null && !named.isBlank()) {
      return named(named.trim(), CONFIG_VARIABLE, workingDir);
    }
    String property = system.getProperty(CONFIG_PROPERTY);
    if (property != null && !property.isBlank()) {
      return named(property.trim(), "-D" + CONFIG_PROPERTY, workingDir);
    }
    Path local = workingDir.resolve(WORKING_DIRECTORY_FILE);
    if (Files.isRegularFile(local)) {
      return new Source(local, null, "conf/cluster.xml in the working directory");
    }
    return new Source(null, DEFAULT_RESOURCE, "runbus's default: this machine only");
  }

  private static Source named(String value, String by, Path workingDir) {
    if (value.startsWith("classpath:")) {
      return new Source(null, value.substring("classpath:".length()), "named by " + by);
    }
    return new Source(workingDir.resolve(value), null, "named by " + by);
  }

  /** The source this process's environment chooses. */
  public static Source source() {
    return source(System.getenv(), System.getProperties(), Path.of("").toAbsolutePath());
  }

  /**
   * Reads the configuration; a named file that is missing or invalid is an error naming it (never a
   * silent fall back to another cluster).
   */
  public static Config load(Source source) {
    try (InputStream in = open(source)) {
      return new XmlConfigBuilder(in).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cluster configuration " + source, e);
    } catch (InvalidConfigurationException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the cluster configuration " + source + " is not valid Hazelcast XML: " + e.getMessage(),
          e);
    }
  }

  private static InputStream open(Source source) throws IOException {
    if (source.file() != null) {
      if (!Files.isRegularFile(source.file())) {
        throw new IllegalArgumentException(
            "the cluster configuration " + source + " does not exist or is not a file");
      }
      return Files.newInputStream(source.file());
    }
    InputStream in = ClusterSetup.class.getClassLoader().getResourceAsStream(source.resource());
    if (in == null) {
      throw new IllegalArgumentException(
          "the cluster configuration " + source + " is not on the classpath");
    }
    return in;
  }

  /** The cluster manager of a service (a full member), configured from {@link #source()}. */
  public static ClusterManager forService() {
    return forService(load(source()));
  }

  public static ClusterManager forService(Config config) {
    return new HazelcastClusterManager(config);
  }

  /** The cluster manager of a client attaching a rank (a lite member), from {@link #source()}. */
  public static ClusterManager forClient() {
    return forClient(load(source()));
  }

  /** {@code config} as a lite member: whatever the file says, a rank never holds cluster data. */
  public static ClusterManager forClient(Config config) {
    return new HazelcastClusterManager(config.setLiteMember(true));
  }

  /**
   * Sets the event bus's host and public host: {@value #HOST_VARIABLE} when set, else {@value
   * #LOOPBACK} (Vert.x would otherwise pick a host address of the machine, reachable from its
   * network).
   */
  public static VertxOptions eventBus(VertxOptions options, Map<String, String> env) {
    String host = env.get(HOST_VARIABLE);
    String chosen = host == null || host.isBlank() ? LOOPBACK : host.trim();
    options.getEventBusOptions().setHost(chosen).setClusterPublicHost(chosen);
    return options;
  }

  /** {@link #eventBus(VertxOptions, Map)} with this process's environment. */
  public static VertxOptions eventBus(VertxOptions options) {
    return eventBus(options, System.getenv());
  }
}
