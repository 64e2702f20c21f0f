package dev.runbus.cluster;

import dev.runbus.bus.Bus;
import dev.runbus.kernel.Kernel;
import dev.runbus.service.RunHost;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceContext;
import dev.runbus.service.ServiceToken;
import dev.runbus.service.cluster.ClusterDoorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A runbus service in a JVM of its own, as {@code runbus service -cluster} composes one: a full
 * member of the cluster ({@link ClusterSetup#forService()}, so {@code RUNBUS_CLUSTER_CONFIG} names
 * its configuration), the kernel, the attach door and a {@link RunHost}. Prints "ready" once the
 * door is open; SIGTERM finishes the hosted runs, then leaves the cluster.
 *
 * <p>Arguments: dataDir token.
 */
public final class ServiceNode {

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    ServiceConfig config = ServiceConfig.defaults(data);
    ServiceToken token = ServiceToken.of(args[1]);
    Vertx vertx =
        Vertx.builder()
            .with(ClusterSetup.eventBus(new VertxOptions()))
            .withClusterManager(ClusterSetup.forService())
            .buildClustered()
            .await(120, TimeUnit.SECONDS);
    Bus.registerCodec(vertx);
    Kernel.deploy(vertx).await(60, TimeUnit.SECONDS);
    RunHost host = new RunHost(vertx, config, token);
    vertx
        .deployVerticle(new ClusterDoorVerticle(new ServiceContext(config, token, host)))
        .await(60, TimeUnit.SECONDS);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    host.finishAll().await(60, TimeUnit.SECONDS);
                    vertx.close().await(60, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    System.err.println("service node: " + e);
                  }
                }));
    System.out.println("ready " + ((VertxInternal) vertx).clusterManager().getNodeId());
    System.out.flush();
  }
}
