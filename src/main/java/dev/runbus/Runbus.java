package dev.runbus;

import dev.runbus.bus.Bus;
import dev.runbus.client.DisabledRun;
import dev.runbus.client.PipelineRun;
import dev.runbus.kernel.Kernel;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;

/**
 * Where runs start.
 *
 * <pre>{@code
 * try (Run run = Runbus.init(Settings.builder().project("mnist").build())) {
 *   for (int step = 0; step < 100; step++) {
 *     run.log(Map.of("loss", loss(step)));
 *   }
 * }
 * }</pre>
 */
public final class Runbus {

  private Runbus() {}

  /** Starts a run with settings from the environment. */
  public static Run init() {
    return init(Settings.fromEnvironment());
  }

  /**
   * Starts a run in runbus's own embedded kernel (a private Vert.x instance, started on first use).
   * Unless {@code settings} set a run id, the run draws its own here, so the same settings may
   * start any number of runs, one after another or at once.
   *
   * <p>With {@link Settings#attach()} (or {@code RUNBUS_ATTACH=cluster}), the run is one rank of a
   * run hosted by a runbus service instead: this JVM joins the service's cluster (once, as a lite
   * member) and the rank's records go to the run's coordinator there. {@code init} does not wait
   * for the join.
   *
   * @throws RunbusException if the run cannot start, e.g. its directory is not writable
   */
  public static Run init(Settings settings) {
    Settings run = settings.forOneRun();
    if (run.mode() == Mode.DISABLED) {
      return new DisabledRun(run);
    }
    if (run.attach().enabled()) {
      return PipelineRun.attach(run);
    }
    return PipelineRun.start(Kernel.privateInstance(), run);
  }

  /**
   * Starts a run in an application's own Vert.x instance, deploying runbus's kernel into it if
   * needed. Call it from any thread but an event loop: a plain thread, a Vert.x worker thread (a
   * worker verticle, {@code executeBlocking}).
   *
   * @throws RunbusException if the run cannot start, or the kernel cannot be deployed
   */
  public static Run init(Vertx vertx, Settings settings) {
    Settings run = settings.forOneRun();
    if (run.mode() == Mode.DISABLED) {
      return new DisabledRun(run);
    }
    PipelineRun.refuseEventLoop("init()");
    if (run.attach().enabled()) {
      return attach(vertx, run);
    }
    HostStart.deployKernel(vertx);
    CompletableFuture<Vertx> kernel = new CompletableFuture<>();
    Run started = PipelineRun.start(kernel, run);
    HostStart.complete(kernel, vertx); // opens the run's stream, off the caller's thread
    return started;
  }

  /** A rank attaching through the application's own clustered Vert.x (it must be in the service's cluster). */
  private static Run attach(Vertx vertx, Settings settings) {
    if (!vertx.isClustered()) {
      throw new RunbusException(
          "runbus: cannot attach run "
              + settings.runId()
              + " to a service: this Vert.x is not clustered (use Runbus.init(settings), which"
              + " joins the service's cluster itself)");
    }
    Bus.registerCodec(vertx);
    CompletableFuture<Vertx> node = new CompletableFuture<>();
    Run started = PipelineRun.attach(node, settings);
    HostStart.complete(node, vertx); // the attach request leaves from a thread without a context
    return started;
  }

  /**
   * The body of a run, for {@link #run}.
   *
   * @param <E> the checked exception the body may throw ({@code RuntimeException} when none)
   */
  @FunctionalInterface
  public interface RunBody<E extends Exception> {
    void accept(Run run) throws E;
  }

  /**
   * Runs {@code body} in a run that finishes with exit code 0 when the body returns and 1 when it
   * throws; the exception is rethrown after the run is safely finished. A body that throws no
   * checked exception makes this call throw none either.
   */
  public static <E extends Exception> RunResult run(Settings settings, RunBody<E> body) throws E {
    Run run = init(settings);
    try {
      body.accept(run);
    } catch (Exception | Error e) {
      try {
        run.finish(1);
      } catch (RuntimeException finishFailure) {
        e.addSuppressed(finishFailure);
      }
      throw e;
    }
    return run.finish(0);
  }
}
