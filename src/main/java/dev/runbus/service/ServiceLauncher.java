package dev.runbus.service;

import dev.runbus.bus.Bus;
import dev.runbus.cluster.ClusterSetup;
import dev.runbus.kernel.KernelVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code runbus service}: Vert.x's own launcher (so {@code -conf}, {@code -cluster}, {@code
 * -options}, {@code -cluster-host}… work as everywhere in Vert.x) deploying the service-role
 * {@link KernelVerticle}. Its shutdown hook closes Vert.x on SIGTERM, which finishes the hosted
 * runs before anything undeploys (see {@link ServiceVerticle}).
 */
public final class ServiceLauncher extends VertxApplication implements VertxApplicationHooks {

  private static final List<String> CLUSTER_FLAGS = List.of("-cluster", "--cluster", "-c");

  private final boolean clustered;

  public ServiceLauncher(String[] args) {
    // the launcher exits the JVM itself on a failure (with its exit codes), after printing why
    super(args, null, true, true);
    this.clustered = clustered(args);
  }

  /** Whether the launcher will cluster: the builder hook cannot see its parsed options. */
  static boolean clustered(String[] args) {
    for (String arg : args) {
      if (CLUSTER_FLAGS.contains(arg)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    VertxBuilder builder = Vertx.builder().with(options);
    if (!clustered) {
      return builder; // no Hazelcast classes loaded for a plain service
    }
    EventBusOptions bus = options.getEventBusOptions();
    if (bus.getHost() == null) {
      // loopback unless -cluster-host (or -options) says otherwise, like the transports
      bus.setHost(ServiceConfig.DEFAULT_HOST);
    }
    return builder.withClusterManager(ClusterSetup.forService());
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    Bus.registerCodec(context.vertx());
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return KernelVerticle::new;
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    System.err.println("runbus: the service did not start: " + rootMessage(t));
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable t) {
    System.err.println("runbus: Vert.x did not start: " + rootMessage(t));
  }

  private static String rootMessage(Throwable t) {
    if (t == null) {
      return "timed out";
    }
    Throwable e = t;
    while (e.getCause() != null && e.getMessage() == null) {
      e = e.getCause();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
