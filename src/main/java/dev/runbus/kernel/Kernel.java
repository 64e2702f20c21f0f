package dev.runbus.kernel;

import dev.runbus.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where runbus's kernel lives. An application that already runs Vert.x
 * deploys it into its own instance with {@link #deploy(Vertx)}; everyone else
 * gets a private instance, started on first use, whose threads are daemons so
 * it never keeps a finished program alive.
 */
public final class Kernel {

  private static final Map<Vertx, Future<String>> DEPLOYED = new WeakHashMap<>();
  private static Vertx privateVertx;

  private Kernel() {
  }

  /** Deploys the kernel into {@code vertx} once; later calls return the same deployment. */
  public static synchronized Future<String> deploy(Vertx vertx) {
    Future<String> deployed = DEPLOYED.get(vertx);
    if (deployed == null || deployed.failed()) {
      Bus.registerCodec(vertx);
      deployed = vertx.deployVerticle(new KernelVerticle());
      DEPLOYED.put(vertx, deployed);
    }
    return deployed;
  }

  /** The private Vert.x instance runbus owns when its host has none, with the kernel deployed. */
  public static synchronized Vertx privateInstance() {
    if (privateVertx == null) {
      Vertx vertx = Vertx.builder()
          .with(new VertxOptions().setUseDaemonThread(true))
          .build();
      try {
        deploy(vertx).await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        vertx.close();
        throw new IllegalStateException("runbus: the kernel did not start: " + e.getMessage(), e);
      }
      privateVertx = vertx;
    }
    return privateVertx;
  }
}
