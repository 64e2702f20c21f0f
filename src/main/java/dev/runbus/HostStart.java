package dev.runbus;

import dev.runbus.kernel.Kernel;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Vert.x side of starting a run in a host application's instance, kept off the caller's thread.
 *
 * <p>Why: a caller on a Vert.x worker thread (a worker verticle) has a context, and whatever it
 * starts on the instance (the kernel's deployment, the open-stream request) would answer on that
 * context: a worker context runs one task at a time, so the answers would wait behind the very call
 * that waits for them. Started from a thread of its own, each has no context, the kernel is not
 * made a child of the caller's verticle (undeployed with it), and the answers arrive on event
 * loops. {@code Future.await} is not used for the same reason: Vert.x refuses it on worker threads.
 */
final class HostStart {

  /** How long the kernel's first deployment into a host instance may take. */
  private static final long DEPLOY_TIMEOUT_SECONDS = 60;

  private HostStart() {}

  /** Deploys the kernel into {@code vertx} unless it is there, and waits for it. */
  static void deployKernel(Vertx vertx) {
    CompletableFuture<String> deployed = new CompletableFuture<>();
    offContext(
        () -> {
          try {
            Kernel.deploy(vertx)
                .onComplete(
                    done -> {
                      if (done.succeeded()) {
                        deployed.complete(done.result());
                      } else {
                        deployed.completeExceptionally(done.cause());
                      }
                    });
          } catch (RuntimeException e) { // a closed instance refuses at once
            deployed.completeExceptionally(e);
          }
        });
    try {
      deployed.get(DEPLOY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new RunbusException(
          "runbus: could not deploy the kernel: " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new RunbusException(
          "runbus: the kernel was not deployed within " + DEPLOY_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunbusException("runbus: interrupted while deploying the kernel", e);
    }
  }

  /**
   * Completes {@code kernel} with {@code vertx} on a thread of its own, so that what depends on it
   * (the open-stream request) starts there.
   */
  static void complete(CompletableFuture<Vertx> kernel, Vertx vertx) {
    offContext(() -> kernel.complete(vertx));
  }

  /** A short-lived daemon thread: it has no Vert.x context, whoever the caller is. */
  private static void offContext(Runnable task) {
    Thread thread = new Thread(task, "runbus-host-start");
    thread.setDaemon(true);
    thread.start();
  }
}
