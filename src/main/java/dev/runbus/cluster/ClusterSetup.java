package dev.runbus.cluster;

import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * How runbus joins a Hazelcast cluster: a service as a full member, an attaching rank as a lite
 * member (it holds no partitions, so ranks coming and going never migrate the service's data).
 */
public final class ClusterSetup {

  private ClusterSetup() {}

  /** The cluster manager of a service (a full member). */
  public static ClusterManager forService() {
    return new HazelcastClusterManager();
  }

  /** The cluster manager of a client attaching a rank (a lite member). */
  public static ClusterManager forClient() {
    return new HazelcastClusterManager();
  }
}
