package dev.runbus.service;

import com.google.protobuf.Timestamp;
import dev.runbus.Settings;
import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.bus.Failures;
import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import dev.runbus.proto.Control;
import dev.runbus.proto.KernelRequest;
import dev.runbus.proto.KernelResponse;
import dev.runbus.proto.OpenStreamRequest;
import dev.runbus.proto.OpenStreamResponse;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.RunStartRequest;
import dev.runbus.proto.StreamOptions;
import dev.runbus.ranks.CoordinatorSettings;
import dev.runbus.ranks.RunCoordinatorVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs a service hosts for remote clients, each with one coordinator in front of its Handler.
 * Every transport (the cluster's attach door, gRPC) comes here to open or join a run; the token is
 * checked here, so no transport can forget it.
 *
 * <p>Ingest protocol, the same for every transport: after {@link #attach}, a rank sends its
 * records to {@code AttachResponse.ingest_address} (cluster-wide, {@code rb.attach.<runId>}) with
 * the header {@code rb-rank} = its rank and the protobuf codec, exactly as a local client sends to
 * a Handler: a {@code RecordBatch} is answered (a {@code PipelineProgress}) once the coordinator
 * holds its rows, a record that wants an answer with a {@code Result}. Holding back the answer is
 * the back-pressure: a rank never has more than its few batches unanswered. A rank's {@code exit}
 * record sets its outcome; its {@code finish} request is answered once the coordinator holds
 * everything it sent (its rows reach the log once every rank is past their steps, at the latest
 * when the run ends). The primary's (rank 0's) finish first waits for the other ranks, at most
 * {@link ServiceConfig#rankFinishTimeout()}, then records every rank's outcome and finishes the
 * run; its {@code CloseStreamRequest} (to the ingest address) closes the run's stream.
 */
public final class RunHost {

  /** How long a finished run stays open for its primary's last questions (summary, history). */
  private static final long CLOSE_GRACE_MS = 60_000;

  private final Vertx vertx;
  /**
   * Where coordinators are deployed from, so that they are children of whoever made this host
   * (the service verticle), never of the transport whose call opened the run: undeploying a
   * transport must not undeploy the runs it opened, which the service finishes after it.
   */
  private final Context home;
  private final ServiceConfig config;
  private final ServiceToken token;

  /** A hosted run: its coordinator and where it lives. */
  private record Hosted(
      String runId, RunCoordinatorVerticle coordinator, String deploymentId, OpenStreamResponse stream) {}

  /** Runs open or opening, by id; a second rank asking while the first opens waits for it. */
  private final Map<String, Future<Hosted>> runs = new ConcurrentHashMap<>();

  /** Made on the context whose deployment the coordinators join (see {@link #home}). */
  public RunHost(Vertx vertx, ServiceConfig config, ServiceToken token) {
    this.vertx = vertx;
    this.home = vertx.getOrCreateContext();
    this.config = config;
    this.token = token;
  }

  /**
   * Opens the run (or joins it, if open) for the rank named in {@code request}. Fails with a
   * {@link ServiceException}: UNAUTHENTICATED (token), INVALID_ARGUMENT (no run id with
   * world_size > 1, a rank outside the world, a bad run id), ALREADY_EXISTS (the rank is attached
   * already), NOT_FOUND (create false and no such run), RESOURCE_EXHAUSTED (too many ranks),
   * FAILED_PRECONDITION (the run is finishing).
   */
  public Future<AttachResponse> attach(AttachRequest request) {
    if (!token.matches(request.getToken())) {
      return failed(
          ServiceStatus.UNAUTHENTICATED,
          request.getToken().isEmpty()
              ? "no token: attach needs the service's token (RUNBUS_SERVICE_TOKEN)"
              : "wrong token: it is not this service's token");
    }
    int world = request.getRank().getWorldSize();
    int rank = request.getRank().getRank();
    if (world < 0 || rank < 0 || (world > 1 && rank >= world) || (world <= 1 && rank != 0)) {
      return failed(
          ServiceStatus.INVALID_ARGUMENT,
          "rank " + rank + " of a world of " + world + " ranks: ranks run from 0 to world size - 1");
    }
    String runId = request.getRunId();
    if (runId.isEmpty()) {
      if (world > 1) {
        return failed(
            ServiceStatus.INVALID_ARGUMENT,
            "a run with several ranks needs a run id every rank shares (WANDB_RUN_ID)");
      }
      runId = Settings.randomId();
    } else {
      try {
        Settings.checkRunId("attach", runId);
      } catch (IllegalArgumentException e) {
        return failed(ServiceStatus.INVALID_ARGUMENT, e.getMessage());
      }
    }
    String id = runId;
    boolean[] created = {false};
    Future<Hosted> hosted;
    synchronized (runs) {
      hosted = runs.get(id);
      if (hosted == null) {
        if (!request.getCreate()) {
          return failed(ServiceStatus.NOT_FOUND, "no run " + id + " is open on this service");
        }
        created[0] = true;
        hosted = open(id, request);
        runs.put(id, hosted);
        hosted.onFailure(e -> runs.remove(id));
      }
    }
    return hosted.compose(
        run ->
            run.coordinator()
                .attach(request.getRank(), request.getLabelKeys())
                .map(
                    session ->
                        AttachResponse.newBuilder()
                            .setRunId(id)
                            .setIngestAddress(Addresses.attach(id))
                            .setRunDir(run.stream().getRunDir())
                            .setLogPath(run.stream().getLogPath())
                            .setCreated(created[0])
                            .build()));
  }

  /** A cluster node left: every rank attached from it vanished. */
  public void nodeLeft(String nodeId) {
    for (Future<Hosted> run : runs.values()) {
      run.onSuccess(hosted -> hosted.coordinator().nodeLeft(nodeId));
    }
  }

  /**
   * Finishes every hosted run now (the service is stopping): ranks still attached are recorded
   * as such, and each log ends properly.
   */
  public Future<Void> finishAll() {
    List<Future<Void>> finishing = new ArrayList<>();
    for (Future<Hosted> run : runs.values()) {
      finishing.add(run.compose(hosted -> hosted.coordinator().finishNow()).otherwiseEmpty());
    }
    return Future.join(finishing).mapEmpty();
  }

  /** Runs hosted now. */
  public int openRuns() {
    return runs.size();
  }

  ServiceConfig config() {
    return config;
  }

  private Future<Hosted> open(String runId, AttachRequest request) {
    double start = System.currentTimeMillis() / 1000.0;
    RunRecord run = runRecord(runId, request, start);
    StreamOptions.Builder options =
        StreamOptions.newBuilder()
            .setRootDir(config.dataDir().toString())
            .setOffline(!config.online())
            .setStartTime(start)
            .setProgram("runbus service")
            .setProducer("runbus service")
            .setFinishTimeoutMs(config.rankFinishTimeout().toMillis());
    if (config.online()) {
      options
          .setBaseUrl(config.baseUrl())
          .setApiKey(config.apiKey())
          .setEntity(run.getEntity())
          .setProject(run.getProject());
    }
    OpenStreamRequest open =
        OpenStreamRequest.newBuilder().setRunId(runId).setOptions(options).setRun(run).build();
    CoordinatorSettings settings =
        new CoordinatorSettings(
            0,
            Math.max(request.getRank().getWorldSize(), 1),
            config.maxRanks(),
            config.mergeWindowBytes(),
            config.rankFinishTimeout().toMillis(),
            config.stragglerTimeout().toMillis(),
            options.getFinishTimeoutMs(),
            CLOSE_GRACE_MS);
    RunCoordinatorVerticle coordinator = new RunCoordinatorVerticle(runId, settings, runs::remove);
    return vertx
        .eventBus()
        .<com.google.protobuf.Message>request(
            Addresses.KERNEL_RUNS, KernelRequest.newBuilder().setOpenStream(open).build(), Bus.protobuf())
        .recover(e -> Future.failedFuture(openFailure(runId, e)))
        .compose(
            reply -> {
              OpenStreamResponse stream = ((KernelResponse) reply.body()).getOpenStream();
              // the run record and run start first, before any rank's record
              Record opening = Record.newBuilder().setRun(run).setControl(Control.newBuilder().setReqResp(true)).build();
              Record started =
                  Record.newBuilder()
                      .setRequest(Request.newBuilder().setRunStart(RunStartRequest.newBuilder().setRun(run)))
                      .build();
              return vertx
                  .eventBus()
                  .request(
                      Addresses.handler(runId),
                      RecordBatch.newBuilder().addRecord(opening).addRecord(started).build(),
                      Bus.protobuf())
                  .compose(ok -> deployAtHome(coordinator))
                  .map(deployment -> new Hosted(runId, coordinator, deployment, stream));
            });
  }

  /** Deploys from {@link #home}; answered on the caller's context. */
  private Future<String> deployAtHome(RunCoordinatorVerticle coordinator) {
    Promise<String> deployed = ((ContextInternal) vertx.getOrCreateContext()).promise();
    home.runOnContext(v -> vertx.deployVerticle(coordinator).onComplete(deployed));
    return deployed.future();
  }

  private static ServiceException openFailure(String runId, Throwable e) {
    if (e instanceof ReplyException reply && reply.failureCode() == Failures.RUN_EXISTS) {
      return new ServiceException(
          ServiceStatus.ALREADY_EXISTS,
          "run " + runId + " is open in this service's own process, not for remote ranks");
    }
    return new ServiceException(
        ServiceStatus.INTERNAL, "the service could not open run " + runId + ": " + e.getMessage());
  }

  /** The run record the run opens with: the first rank's, with the run id the service uses. */
  private static RunRecord runRecord(String runId, AttachRequest request, double start) {
    RunRecord.Builder run = request.hasRun() ? request.getRun().toBuilder() : RunRecord.newBuilder();
    run.setRunId(runId);
    if (!run.hasStartTime()) {
      run.setStartTime(
          Timestamp.newBuilder()
              .setSeconds((long) Math.floor(start))
              .setNanos((int) ((start - Math.floor(start)) * 1e9)));
    }
    if (run.getHost().isEmpty()) {
      run.setHost(request.getRank().getHost());
    }
    return run.build();
  }

  private static <T> Future<T> failed(ServiceStatus status, String message) {
    return Future.failedFuture(new ServiceException(status, message));
  }
}
