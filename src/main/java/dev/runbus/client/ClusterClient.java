package dev.runbus.client;

import dev.runbus.bus.Bus;
import dev.runbus.cluster.ClusterSetup;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one clustered Vert.x of a JVM whose runs attach to a service: a lite member of the service's
 * cluster, with daemon threads, started on first use on a thread of its own so {@code init} never
 * waits for the join (rows queue meanwhile, as they do while the embedded kernel starts).
 *
 * <p>Hazelcast's own threads are not daemons, and Hazelcast has no switch for that, so a joined
 * node would keep the JVM alive after the program's main returned. The node therefore lives only
 * while runs use it: each attached run holds it ({@link #acquire}) until its finish ({@link
 * #release}), and the last one out leaves the cluster; a later run joins again. A program that
 * returns without finishing its runs is covered by {@link ClusterExit}.
 */
final class ClusterClient {

  /** How long joining the cluster may take before the runs that wait for it fail. */
  static final long JOIN_TIMEOUT_SECONDS = 60;

  private static CompletableFuture<Vertx> instance;
  private static int users;

  /** Held: JUL keeps loggers weakly, and a collected one would forget its level. */
  private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

  private static final Logger HAZELCAST_CP = Logger.getLogger("com.hazelcast.cp.CPSubsystem");

  private ClusterClient() {}

  /** The node, for one more run; every call is matched by one {@link #release}. */
  static synchronized CompletableFuture<Vertx> acquire() {
    users++;
    ClusterExit.watch();
    return instance();
  }

  /** A run is done with the node; the last one leaves the cluster, so the JVM may end. */
  static synchronized void release() {
    if (users == 0 || --users > 0) {
      return;
    }
    CompletableFuture<Vertx> leaving = instance;
    instance = null;
    if (leaving != null) {
      leaving.thenAccept(Vertx::close);
    }
  }

  /** The clustered instance, joined (or the reason it could not join). */
  static synchronized CompletableFuture<Vertx> instance() {
    if (instance == null || instance.isCompletedExceptionally()) {
      CompletableFuture<Vertx> joining = new CompletableFuture<>();
      Thread starter = new Thread(() -> join(joining), "runbus-cluster-join");
      // not a daemon, as the kernel's starter: a JVM exiting while Hazelcast starts would
      // otherwise leave the run unfinished
      starter.setDaemon(false);
      starter.start();
      instance = joining;
    }
    return instance;
  }

  /**
   * Hazelcast says about 80 lines at INFO as a node starts and stops (its logo, Jet, CP,
   * partitions): noise on a training program's console. Only warnings are let through, unless the
   * program configured Hazelcast's logging itself.
   */
  private static void quietHazelcast() {
    if (HAZELCAST.getLevel() == null) {
      HAZELCAST.setLevel(Level.WARNING);
    }
    if (HAZELCAST_CP.getLevel() == null) {
      HAZELCAST_CP.setLevel(Level.SEVERE); // "CP Subsystem is not enabled": runbus uses none
    }
  }

  private static void join(CompletableFuture<Vertx> joining) {
    try {
      quietHazelcast();
      VertxOptions options =
          ClusterSetup.eventBus(
              new VertxOptions()
                  .setUseDaemonThread(true)
                  .setFileSystemOptions(
                      new FileSystemOptions()
                          .setFileCachingEnabled(false)
                          .setClassPathResolvingEnabled(false)));
      Vertx vertx =
          Vertx.builder()
              .with(options)
              .withClusterManager(ClusterSetup.forClient())
              .buildClustered()
              .await(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Bus.registerCodec(vertx);
      joining.complete(vertx);
    } catch (Throwable e) {
      joining.completeExceptionally(
          new StreamNotOpened(
              "could not join the runbus service's cluster ("
                  + ClusterSetup.source()
                  + "): "
                  + rootMessage(e)
                  + "; is the service running with -cluster, with the same cluster configuration?",
              e));
    }
  }

  /** This JVM's node id in the cluster. */
  static String nodeId(Vertx vertx) {
    return ((VertxInternal) vertx).clusterManager().getNodeId();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }
}
