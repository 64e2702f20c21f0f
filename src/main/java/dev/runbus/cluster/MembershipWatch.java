package dev.runbus.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Tells which Vert.x node left the cluster. Vert.x's own {@code ClusterManager.nodeListener} is a
 * single slot that Vert.x's HA manager already holds (setting it would replace Vert.x's), so this
 * listens to Hazelcast's membership beside it and names the member by the Vert.x node id that
 * vertx-hazelcast keeps in its attributes.
 */
public final class MembershipWatch implements AutoCloseable {

  /** The member attribute vertx-hazelcast stores a node's Vert.x id in. */
  static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final HazelcastInstance hazelcast;
  private final UUID registration;

  private MembershipWatch(HazelcastInstance hazelcast, UUID registration) {
    this.hazelcast = hazelcast;
    this.registration = registration;
  }

  /**
   * Calls {@code nodeLeft} with the Vert.x node id of every member that leaves, on a Hazelcast
   * thread; the caller moves it where it belongs.
   *
   * @throws IllegalStateException if {@code manager} is not Hazelcast's (or not joined yet)
   */
  public static MembershipWatch start(ClusterManager manager, Consumer<String> nodeLeft) {
    if (!(manager instanceof HazelcastClusterManager hazelcastManager)
        || hazelcastManager.getHazelcastInstance() == null) {
      throw new IllegalStateException(
          "runbus watches cluster membership through Hazelcast; this Vert.x is clustered with "
              + (manager == null ? "no cluster manager" : manager.getClass().getName()));
    }
    HazelcastInstance hazelcast = hazelcastManager.getHazelcastInstance();
    UUID id =
        hazelcast
            .getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {}

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    String node = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
                    if (node != null) {
                      nodeLeft.accept(node);
                    }
                  }
                });
    return new MembershipWatch(hazelcast, id);
  }

  @Override
  public void close() {
    try {
      hazelcast.getCluster().removeMembershipListener(registration);
    } catch (RuntimeException notRunning) {
      // Hazelcast already shut down: its listeners went with it
    }
  }
}
