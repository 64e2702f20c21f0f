package dev.runbus.client;

import dev.runbus.Attach;
import dev.runbus.Settings;
import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.Record;
import dev.runbus.service.ServiceStatus;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How a rank's run starts: like {@link RunStart}, but the run lives on a runbus service. {@code
 * init} checks what it can and returns; joining the cluster (as a lite member) and attaching to
 * the run go on in the background while rows queue. The service's answer names the coordinator's
 * address, where the run's queue then drains with the header {@code rb-rank}. A refused attach
 * (a wrong token, a rank attached twice…) kills the run with the service's reason: said once,
 * thrown by the next {@code log()} and by {@code finish()}.
 *
 * <p>The run record travels in the attach request, not in the queue: the service opens the run
 * with the primary's, and merges a later rank's config.
 */
final class RankStart {

  /** How long the primary's finish may wait for the other ranks (the service's default). */
  static final Duration RANK_FINISH_WAIT = Duration.ofMinutes(5);

  private RankStart() {}

  /** Starts a rank on this JVM's own cluster node, which it holds until its finish. */
  static PipelineRun start(Settings settings) {
    CompletableFuture<Vertx> node = ClusterClient.acquire();
    try {
      return start(node, settings, ClusterClient::release);
    } catch (RuntimeException | Error e) {
      ClusterClient.release();
      throw e;
    }
  }

  /** Starts a rank on a clustered Vert.x the caller owns. */
  static PipelineRun start(CompletableFuture<Vertx> cluster, Settings settings) {
    return start(cluster, settings, () -> {});
  }

  /**
   * Starts a rank whose cluster node {@code cluster} completes with; {@code done} runs once the
   * rank has finished.
   */
  private static PipelineRun start(
      CompletableFuture<Vertx> cluster, Settings settings, Runnable done) {
    PipelineRun.refuseEventLoop("init()");
    RunStart.reserveId(PipelineRun.reservation(settings));
    try {
      return startReserved(cluster, settings, done);
    } catch (RuntimeException | Error e) {
      OpenRuns.release(PipelineRun.reservation(settings));
      throw e;
    }
  }

  private static PipelineRun startReserved(
      CompletableFuture<Vertx> cluster, Settings settings, Runnable done) {
    Attach attach = settings.attach();
    Map<String, Object> initialConfig = PipelineConfig.checkedCopy(settings.config());
    RunClock clock = RunClock.start();
    CompletableFuture<PipelineRun> made = new CompletableFuture<>();
    CompletableFuture<Vertx> ready =
        cluster
            .thenCombine(made, (vertx, run) -> vertx)
            .thenCompose(
                vertx ->
                    attach(vertx, request(settings, made.join(), clock, ClusterClient.nodeId(vertx)))
                        .thenApply(
                            response -> {
                              attached(made.join(), settings, response);
                              return vertx;
                            }));
    // until the service says where the run lives, its paths are the ones it will choose
    PipelineRun run =
        new PipelineRun(
            ready,
            settings,
            clock,
            Path.of(""),
            Path.of(""),
            Addresses.attach(settings.runId()),
            Map.of(Addresses.RANK_HEADER, Integer.toString(attach.rank())),
            attach,
            done);
    run.config.initial(initialConfig);
    made.complete(run);
    OpenRuns.add(run);
    if (!settings.quiet()) {
      run.console.println(startLine(settings));
    }
    // the rank's own lines go to the run's one console, labelled with the rank by the service
    if (settings.console()) {
      run.captureConsole();
    }
    return run;
  }

  private static AttachRequest request(
      Settings settings, PipelineRun run, RunClock clock, String nodeId) {
    Attach attach = settings.attach();
    Record runRecord = RunStart.runRecord(settings, clock.startSeconds, run.config);
    return AttachRequest.newBuilder()
        .setToken(attach.token())
        .setRunId(settings.runId())
        .setRank(
            RankIdentity.newBuilder()
                .setRank(attach.rank())
                .setWorldSize(attach.worldSize())
                .setHost(ProgramInfo.host())
                .setPid(ProcessHandle.current().pid())
                .setNodeId(nodeId))
        .setRun(runRecord.getRun())
        .setCreate(true)
        .setLabelKeys(attach.labelKeys())
        .build();
  }

  /** Knocks on the service's door; a refusal becomes the run's one error, in the service's words. */
  private static CompletableFuture<AttachResponse> attach(Vertx vertx, AttachRequest request) {
    CompletableFuture<AttachResponse> answer = new CompletableFuture<>();
    vertx
        .eventBus()
        .<Object>request(Addresses.SERVICE_ATTACH, request, Bus.protobuf())
        .onSuccess(reply -> answer.complete((AttachResponse) reply.body()))
        .onFailure(e -> answer.completeExceptionally(refused(request, e)));
    return answer;
  }

  /** Why the service did not take this rank, said so the user knows what to fix. */
  static StreamNotOpened refused(AttachRequest request, Throwable e) {
    String who =
        "rank " + request.getRank().getRank() + " of run " + request.getRunId();
    if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return new StreamNotOpened(
          "cannot attach "
              + who
              + ": no runbus service in the cluster answers (start one with `runbus service"
              + " -cluster`, with the same cluster configuration)",
          e);
    }
    if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      ServiceStatus status = ServiceStatus.ofBusCode(reply.failureCode());
      return new StreamNotOpened(
          "the service refused " + who + " (" + status + "): " + reply.getMessage(), e);
    }
    return new StreamNotOpened(
        "cannot attach " + who + ": " + PipelineFailure.describe(e), e);
  }

  /** The service answered: the run's address and where it lives. */
  private static void attached(PipelineRun run, Settings settings, AttachResponse response) {
    if (!response.getIngestAddress().isEmpty()) {
      run.client.retarget(response.getIngestAddress());
    }
    run.located(Path.of(response.getRunDir()), Path.of(response.getLogPath()));
    if (!settings.quiet()) {
      run.console.println(
          "runbus: "
              + settings.attach().describe()
              + (response.getCreated() ? " opened run " : " joined run ")
              + response.getRunId()
              + " on the service, saved there in "
              + response.getRunDir());
    }
  }

  /** What a rank says at init, before it knows where the service keeps the run. */
  static String startLine(Settings settings) {
    StringBuilder line =
        new StringBuilder("runbus ")
            .append(Version.VERSION)
            .append(": ")
            .append(settings.attach().describe())
            .append(" of run ")
            .append(settings.runId());
    if (!settings.name().isEmpty()) {
      line.append(" \"").append(settings.name()).append('"');
    }
    if (!settings.project().isEmpty()) {
      line.append(" in project ").append(settings.project());
    }
    return line.append(", attaching to the runbus service over the cluster").toString();
  }
}
