package dev.runbus.kernel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where runbus's kernel lives. An application that already runs Vert.x deploys it into its own
 * instance with {@link #deploy(Vertx)}; everyone else gets a private instance, started on first
 * use, whose threads are daemons so it never keeps a finished program alive.
 */
public final class Kernel {

  /**
   * Each instance's kernel, as its deployment id. Plain futures: a Vert.x future would hold its
   * context, and through it the instance, so the weak key could never be collected.
   */
  private static final Map<Vertx, CompletableFuture<String>> KERNELS = new WeakHashMap<>();

  private static CompletableFuture<Vertx> privateVertx;

  private Kernel() {}

  /**
   * Deploys the kernel into {@code vertx} unless a kernel is deployed there already (by an earlier
   * call, or by Vert.x's launcher); returns that kernel's deployment id.
   */
  public static synchronized Future<String> deploy(Vertx vertx) {
    CompletableFuture<String> kernel = KERNELS.get(vertx);
    if (kernel == null || !alive(vertx, kernel)) {
      CompletableFuture<String> deploying = new CompletableFuture<>();
      KERNELS.put(vertx, deploying);
      vertx
          .deployVerticle(KernelVerticle.embedded())
          .onComplete(
              deployed -> {
                if (deployed.succeeded()) {
                  deploying.complete(deployed.result());
                } else {
                  deploying.completeExceptionally(deployed.cause());
                }
              });
      kernel = deploying;
    }
    return Future.fromCompletionStage(kernel);
  }

  /** Called as a kernel starts, so one deployed by other means than {@link #deploy} is found. */
  static synchronized void started(Vertx vertx, String deploymentId) {
    CompletableFuture<String> kernel = KERNELS.get(vertx);
    if (kernel == null || kernel.isDone()) {
      KERNELS.put(vertx, CompletableFuture.completedFuture(deploymentId));
    } // else deploy() is starting this very kernel and records it itself
  }

  /** Still deploying, or deployed and not undeployed since (nor its instance closed). */
  private static boolean alive(Vertx vertx, CompletableFuture<String> kernel) {
    if (!kernel.isDone()) {
      return true;
    }
    return !kernel.isCompletedExceptionally() && vertx.deploymentIDs().contains(kernel.join());
  }

  /**
   * Daemon threads, so the instance never keeps a finished program alive; no file cache, which
   * runbus does not use and which registers a JVM shutdown hook (that would make Vert.x
   * impossible to start from runbus's own hook when a program calls System.exit early).
   */
  static VertxOptions privateOptions() {
    return new VertxOptions()
        .setUseDaemonThread(true)
        .setFileSystemOptions(
            new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false));
  }

  private static final String DISABLE_DNS_RESOLVER = "vertx.disableDnsResolver";

  /**
   * Builds the private instance with the JDK's name resolver instead of Netty's DNS resolver,
   * unless the JVM was told otherwise. Netty's resolver is ~200 classes and 30–40 ms of a cold
   * start here (docs/benchmarks.md), and an offline run resolves no name at all. Vert.x reads
   * this switch only while an instance is built, so it is set for that moment alone: a host
   * application's own Vert.x, built before or after, keeps its resolver (one built on another
   * thread at the very same moment would get the JDK's too: Vert.x has no option per instance).
   */
  static Vertx buildPrivate() {
    boolean chosen = System.getProperty(DISABLE_DNS_RESOLVER) != null;
    if (!chosen) {
      System.setProperty(DISABLE_DNS_RESOLVER, "true");
    }
    try {
      return Vertx.builder().with(privateOptions()).build();
    } finally {
      if (!chosen) {
        System.clearProperty(DISABLE_DNS_RESOLVER);
      }
    }
  }

  /** Whether {@code vertx} is runbus's own private instance, not an application's. */
  public static synchronized boolean isPrivateInstance(Vertx vertx) {
    return privateVertx != null
        && privateVertx.isDone()
        && !privateVertx.isCompletedExceptionally()
        && privateVertx.join() == vertx;
  }

  /**
   * The private Vert.x instance runbus owns when its host has none, with the kernel deployed. The
   * first call starts it on a background thread and returns at once, so a run can be set up (and
   * rows queued) while Vert.x boots; once the kernel is up, the classes finishing a run needs are
   * loaded on that thread too, so the first finish() does not pay for them.
   */
  public static synchronized CompletableFuture<Vertx> privateInstance() {
    if (privateVertx == null || privateVertx.isCompletedExceptionally()) {
      CompletableFuture<Vertx> starting = new CompletableFuture<>();
      Thread starter =
          new Thread(
              () -> {
                Vertx vertx = null;
                try {
                  vertx = buildPrivate();
                  deploy(vertx).await(60, TimeUnit.SECONDS);
                  starting.complete(vertx);
                } catch (Throwable e) {
                  if (vertx != null) {
                    vertx.close();
                  }
                  starting.completeExceptionally(
                      new IllegalStateException("the runbus kernel did not start: " + e, e));
                  return;
                }
                Warmup.finishPath();
              },
              "runbus-kernel-start");
      // not a daemon: a program that returns from main while Vert.x is still starting would
      // otherwise begin JVM shutdown first, and Vert.x cannot start during shutdown; this way
      // the exit waits the few hundred milliseconds, and the shutdown hook finishes the run
      starter.setDaemon(false);
      starter.start();
      privateVertx = starting;
    }
    return privateVertx;
  }
}
