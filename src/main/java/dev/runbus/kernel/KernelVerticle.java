package dev.runbus.kernel;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.bus.Failures;
import dev.runbus.proto.CloseStreamResponse;
import dev.runbus.proto.KernelRequest;
import dev.runbus.proto.KernelResponse;
import dev.runbus.proto.OpenStreamRequest;
import dev.runbus.service.ServiceVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.HashMap;
import java.util.Map;

/**
 * The kernel: opens and closes runs on {@code rb.kernel.runs}. Each open run is one {@link
 * RunStreamVerticle}; several can be open at once (a sweep in one JVM).
 *
 * <p>Two roles. {@link #embedded()} (what {@link Kernel#deploy} uses) is the kernel alone: no
 * listener, no files, runs only for this JVM. The public no-arg constructor, which deploying by
 * name uses ({@code deployVerticle("dev.runbus.kernel.KernelVerticle", options)}, Vert.x's stock
 * launcher, {@code runbus service}), is the <em>service</em>: it deploys a {@link ServiceVerticle}
 * (configuration, token, run host, transports, and an embedded kernel for its runs) and, when
 * undeployed, finishes the runs it hosts before anything else stops.
 */
public final class KernelVerticle extends VerticleBase {

  private final Map<String, String> deployments = new HashMap<>();
  private final boolean service;
  private ServiceVerticle serviceVerticle;

  /** The service role (see the class comment): what deploying by name gives. */
  public KernelVerticle() {
    this(true);
  }

  private KernelVerticle(boolean service) {
    this.service = service;
  }

  /** The embedded role: the kernel alone, as an application's own runs need it. */
  public static KernelVerticle embedded() {
    return new KernelVerticle(false);
  }

  @Override
  public Future<?> start() {
    Bus.registerCodec(vertx);
    if (service) {
      serviceVerticle = new ServiceVerticle(config());
      return serviceVerticle.deployBeside(vertx);
    }
    Kernel.started(vertx, context.deploymentID());
    return vertx
        .eventBus()
        .<com.google.protobuf.Message>localConsumer(
            Addresses.KERNEL_RUNS, Failures.answered("kernel", this::onMessage))
        .completion();
  }

  @Override
  public Future<?> stop() {
    return service ? serviceVerticle.finishThenUndeploy() : Future.succeededFuture();
  }

  private void onMessage(Message<com.google.protobuf.Message> message) {
    if (!(message.body() instanceof KernelRequest request)) {
      message.fail(Failures.BAD_RECORD, "kernel: expected a KernelRequest");
      return;
    }
    switch (request.getRequestTypeCase()) {
      case OPEN_STREAM -> open(message, request.getOpenStream());
      case CLOSE_STREAM -> close(message, request.getCloseStream().getRunId());
      default -> message.fail(Failures.BAD_RECORD, "kernel: empty request");
    }
  }

  private void open(Message<com.google.protobuf.Message> message, OpenStreamRequest open) {
    String runId = open.getRunId();
    if (deployments.containsKey(runId)) {
      message.fail(Failures.RUN_EXISTS, "run " + runId + " is already open in this kernel");
      return;
    }
    deployments.put(runId, "");
    RunStreamVerticle stream = new RunStreamVerticle(open);
    vertx
        .deployVerticle(stream)
        .onSuccess(
            id -> {
              deployments.put(runId, id);
              message.reply(
                  KernelResponse.newBuilder().setOpenStream(stream.describe()).build(),
                  Bus.protobuf());
            })
        .onFailure(
            e -> {
              deployments.remove(runId);
              message.fail(Failures.INTERNAL, rootMessage(e));
            });
  }

  private void close(Message<com.google.protobuf.Message> message, String runId) {
    String id = deployments.remove(runId);
    if (id == null || id.isEmpty()) {
      message.fail(Failures.NO_SUCH_RUN, "no open run " + runId + " in this kernel");
      return;
    }
    vertx
        .undeploy(id)
        .onSuccess(
            v ->
                message.reply(
                    KernelResponse.newBuilder()
                        .setCloseStream(CloseStreamResponse.getDefaultInstance())
                        .build(),
                    Bus.protobuf()))
        .onFailure(e -> message.fail(Failures.INTERNAL, rootMessage(e)));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
