package dev.runbus.sender;

import dev.runbus.filestream.SyncMark;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.proto.ConfigRecord;
import dev.runbus.proto.FileStreamFinish;
import dev.runbus.proto.FileStreamProgress;
import dev.runbus.proto.FileStreamTarget;
import dev.runbus.proto.FilePusherStats;
import dev.runbus.proto.FilesUploaded;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.PollExitResponse;
import dev.runbus.proto.Record;
import dev.runbus.proto.ResumeState;
import dev.runbus.proto.RunExitResult;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.SendProgress;
import dev.runbus.writer.ConfigState;
import dev.runbus.writer.MetricDictionary;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server side of one online run (or of one {@code runbus sync}): UpsertBucket at the start and
 * when the config changes, resume, uploads, stop polling, and the Sender's part of the finish. Runs
 * on the Sender verticle's event loop and never blocks it: requests are futures, waits are timers,
 * the files directory is listed on a worker.
 *
 * <p>Nothing here is on the caller's path: the first upsert retries in the background while the
 * run logs to disk. A refusal ends all requests at once with one line that says how to finish the
 * upload later; the log on disk is complete either way.
 */
final class OnlineSender {

  private static final String METADATA = "wandb-metadata.json";
  /** Written just before the metadata, and sent with it at the start as W&B's H does. */
  private static final String REQUIREMENTS = "requirements.txt";

  private final Vertx vertx;
  private final OnlineSetup setup;
  private final SenderTunables tunables;
  private final String server;
  private final GraphQlClient graphql;
  private final FileUploader uploader;

  private final ConfigState config = new ConfigState();
  private final MetricDictionary metrics = new MetricDictionary();
  private RunRecord run;
  private Record exit;
  private ResumeState resume = ResumeState.getDefaultInstance();

  private final Promise<UpsertedRun> upserted = Promise.promise();
  private UpsertedRun bucket;
  private boolean configDirty;
  private long debounceTimer = -1;
  private Future<Void> configUpsert = Future.succeededFuture();
  private Future<Void> metadataUpload = Future.succeededFuture();
  private long stopTimer = -1;
  private boolean stopPollInFlight;
  private boolean stopRequested;

  private FileStreamProgress streamProgress = FileStreamProgress.getDefaultInstance();
  private final Map<String, Long> knownFiles = new LinkedHashMap<>();
  private final Map<String, Long> uploadedFiles = new LinkedHashMap<>();
  private long uploadedBytes;

  private String failure;
  private boolean refused;
  private boolean unreachableSaid;
  private boolean finished;
  private boolean complete;
  private boolean closed;

  OnlineSender(Vertx vertx, WebClient web, OnlineSetup setup, SenderTunables tunables) {
    this.vertx = vertx;
    this.setup = setup;
    this.tunables = tunables;
    this.server = setup.server().baseUrl().toString();
    String userAgent = "runbus/" + dev.runbus.client.Version.VERSION;
    long timeout = tunables.httpTimeout().toMillis();
    RetryingRequests retrying =
        new RetryingRequests(vertx, tunables.retry(), server, () -> refused || closed);
    this.graphql = new GraphQlClient(web, setup.server(), retrying, timeout, userAgent);
    this.uploader =
        new FileUploader(vertx, web, setup.server(), graphql, retrying, timeout, userAgent);
  }

  // ---- records from the Writer

  void accept(Record record) {
    switch (record.getRecordTypeCase()) {
      case RUN -> onRun(record.getRun());
      case CONFIG -> onConfig(record.getConfig());
      case METRIC -> {
        metrics.add(record.getMetric());
        configChanged();
      }
      case EXIT -> exit = record;
      default -> {
        // history, stats, output and summary reach the server through the FileStream, from the log
      }
    }
  }

  private void onRun(RunRecord record) {
    if (record.equals(run)) {
      return; // the record the Sender started with, arriving through the pipeline
    }
    if (record.hasConfig()) {
      config.apply(record.getConfig());
    }
    if (run != null) {
      configChanged(); // a run update: its config part goes with the next upsert
      return;
    }
    run = record;
    startUpsert();
  }

  private void onConfig(ConfigRecord record) {
    config.apply(record);
    configChanged();
  }

  // ---- the run's start

  private void startUpsert() {
    // the setup's names win: `runbus sync --entity/--project` puts a run elsewhere than it said
    String entity = firstSet(setup.entity(), run.getEntity());
    String project = firstSet(setup.project(), run.getProject());
    String name = run.getRunId().isEmpty() ? setup.runId() : run.getRunId();
    configDirty = false;
    JsonObject variables = UpsertVariables.start(run, name, entity, project, configJson());
    graphql
        .call("UpsertBucket", Documents.UPSERT_BUCKET, variables, Integer.MAX_VALUE, this::unreachable)
        .map(data -> UpsertedRun.from(data, entity, project, name))
        .onSuccess(this::started)
        .onFailure(this::failed);
  }

  /** After the second failed attempt, once: the run goes on, and says where it is logged. */
  private void unreachable(int attempts, String reason) {
    if (attempts >= 2 && !unreachableSaid) {
      unreachableSaid = true;
      tunables
          .notices()
          .accept(
              "runbus: cannot reach "
                  + server
                  + " ("
                  + reason
                  + "); retrying; the run is being logged to "
                  + setup.logFile());
    }
  }

  private void started(UpsertedRun named) {
    bucket = named;
    upserted.complete(named);
    vertx
        .eventBus()
        .send(
            Addresses.fileStream(setup.runId()),
            FileStreamTarget.newBuilder()
                .setEntity(named.entity())
                .setProject(named.project())
                .setRunName(named.name())
                .setHistoryLineOffset(resume.getHistoryLineOffset())
                .setEventsLineOffset(resume.getEventsLineOffset())
                .setConsoleLineOffset(resume.getConsoleLineOffset())
                .build(),
            Bus.protobuf());
    if (!setup.replay()) {
      long every = Math.max(1, tunables.stopPollInterval().toMillis());
      stopTimer = vertx.setPeriodic(every, id -> pollStopped());
      metadataUpload = uploadMetadataOnceWritten(System.nanoTime());
    }
    if (configDirty) {
      scheduleConfigUpsert();
    }
  }

  /**
   * The Writer writes requirements.txt and then wandb-metadata.json just after the run starts;
   * they go up once the metadata is there.
   */
  private Future<Void> uploadMetadataOnceWritten(long since) {
    Path metadata = setup.filesDir().resolve(METADATA);
    return vertx
        .fileSystem()
        .exists(metadata.toString())
        .compose(
            exists -> {
              if (exists) {
                return upload(List.of(REQUIREMENTS, METADATA)).onFailure(this::failed);
              }
              if (finished
                  || refused
                  || System.nanoTime() - since >= tunables.metadataWait().toNanos()) {
                return Future.succeededFuture(); // the finish uploads it with the rest
              }
              Promise<Void> later = Promise.promise();
              vertx.setTimer(
                  200, id -> uploadMetadataOnceWritten(since).onComplete(later));
              return later.future();
            })
        .recover(e -> Future.succeededFuture());
  }

  // ---- config upserts, debounced

  private void configChanged() {
    configDirty = true;
    if (bucket != null && !finished) {
      scheduleConfigUpsert();
    }
  }

  private void scheduleConfigUpsert() {
    if (debounceTimer >= 0 || refused) {
      return;
    }
    debounceTimer =
        vertx.setTimer(
            Math.max(1, tunables.configDebounce().toMillis()),
            id -> {
              debounceTimer = -1;
              if (!finished) {
                upsertConfigIfDirty();
              }
            });
  }

  /** One config upsert at a time; changes made while one is in flight go with the next. */
  private Future<Void> upsertConfigIfDirty() {
    configUpsert =
        configUpsert.compose(
            v -> {
              if (!configDirty || refused) {
                return Future.succeededFuture();
              }
              configDirty = false;
              JsonObject variables = UpsertVariables.config(bucket, configJson());
              return graphql
                  .call(
                      "UpsertBucket",
                      Documents.UPSERT_BUCKET,
                      variables,
                      Integer.MAX_VALUE,
                      RetryingRequests.FailedAttempts.NONE)
                  .<Void>mapEmpty()
                  .onFailure(this::failed);
            });
    return configUpsert;
  }

  private String configJson() {
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("runbus_version", dev.runbus.client.Version.VERSION);
    block.put("java_version", System.getProperty("java.version"));
    if (run != null && run.hasStartTime()) {
      block.put(
          "start_time",
          run.getStartTime().getSeconds() + run.getStartTime().getNanos() / 1e9);
    }
    return RunConfigJson.of(config, metrics, block);
  }

  // ---- stop

  private void pollStopped() {
    if (bucket == null || refused || finished || stopPollInFlight || stopRequested) {
      return;
    }
    stopPollInFlight = true;
    JsonObject variables =
        new JsonObject()
            .put("projectName", bucket.project())
            .put("entityName", bucket.entity())
            .put("runId", bucket.name());
    graphql
        .call(
            "RunStoppedStatus",
            Documents.RUN_STOPPED_STATUS,
            variables,
            1, // a poll: the next tick is the retry
            RetryingRequests.FailedAttempts.NONE)
        .onComplete(
            answer -> {
              stopPollInFlight = false;
              if (answer.succeeded()) {
                JsonObject project = answer.result().getJsonObject("project");
                JsonObject runJson = project == null ? null : project.getJsonObject("run");
                if (runJson != null && Boolean.TRUE.equals(runJson.getBoolean("stopped"))) {
                  stopRequested = true;
                }
              } else if (answer.cause() instanceof ServerRefusal refusal
                  && refusal.status() != ServerRefusal.GRAPHQL_ERROR) {
                failed(refusal);
              }
            });
  }

  boolean stopRequested() {
    return stopRequested || streamProgress.getStopRequested();
  }

  // ---- resume

  Future<ResumeState> resume() {
    if (setup.resume().isEmpty()) {
      return Future.succeededFuture(ResumeState.getDefaultInstance());
    }
    String project = setup.project().isEmpty() ? "uncategorized" : setup.project();
    JsonObject variables =
        new JsonObject()
            .put("project", project)
            .put("entity", setup.entity().isEmpty() ? null : setup.entity())
            .put("name", setup.runId());
    return graphql
        .call(
            "RunResumeStatus",
            Documents.RUN_RESUME_STATUS,
            variables,
            4,
            RetryingRequests.FailedAttempts.NONE)
        .map(data -> ResumeDecision.decide(setup.resume(), setup.runId(), server, data))
        .recover(
            e ->
                Future.succeededFuture(
                    ResumeState.newBuilder()
                        .setError(
                            "cannot check whether run "
                                + setup.runId()
                                + " can be resumed on "
                                + server
                                + ": "
                                + e.getMessage())
                        .build()))
        .onSuccess(
            state -> {
              if (state.getResumed()) {
                resume = state;
              }
            });
  }

  // ---- the FileStream's word

  void onStreamProgress(FileStreamProgress progress) {
    streamProgress = progress;
    if (progress.getGaveUp()) {
      refuse(progress.getFailure().isEmpty() ? "the FileStream gave up" : progress.getFailure());
    }
  }

  // ---- uploads

  private Future<Void> upload(List<String> only) {
    UpsertedRun target = bucket; // read on the worker below
    return vertx
        .executeBlocking(
            () -> {
              List<SyncMark.UploadedFile> marked = markedUploads(target);
              if (only == null) {
                return new FoundFiles(RunFile.scan(setup.filesDir()), marked);
              }
              List<RunFile> files = new ArrayList<>();
              for (String name : only) {
                files.addAll(RunFile.one(setup.filesDir(), name));
              }
              return new FoundFiles(files, marked);
            },
            false)
        .compose(
            scanned -> {
              for (SyncMark.UploadedFile file : scanned.marked()) {
                uploadedFiles.putIfAbsent(file.name(), file.size());
              }
              List<RunFile> found = scanned.files();
              List<RunFile> toSend = new ArrayList<>();
              for (RunFile file : found) {
                knownFiles.put(file.name(), file.size());
                Long sent = uploadedFiles.get(file.name());
                if (sent == null || sent != file.size()) {
                  toSend.add(file);
                }
              }
              List<String> landed = new ArrayList<>();
              return uploader
                  .upload(
                      bucket,
                      toSend,
                      file -> {
                        uploadedFiles.put(file.name(), file.size());
                        uploadedBytes += file.size();
                        landed.add(file.name());
                      })
                  .eventually(() -> tellUploaded(landed));
            });
  }

  private record FoundFiles(List<RunFile> files, List<SyncMark.UploadedFile> marked) {}

  /**
   * Files an earlier stream of this run to this server uploaded (the synced-through mark beside
   * the log says which, at which size): they are not sent again, so a second sync sends nothing
   * twice. Read on a worker.
   */
  private List<SyncMark.UploadedFile> markedUploads(UpsertedRun target) {
    return SyncMark.read(setup.markFile())
        .filter(
            mark ->
                mark.sameRun(
                    setup.server().baseUrl().toString(),
                    target.entity(),
                    target.project(),
                    target.name()))
        .map(SyncMark::uploaded)
        .orElse(List.of());
  }

  private Future<Void> tellUploaded(List<String> names) {
    if (!names.isEmpty()) {
      vertx
          .eventBus()
          .send(
              Addresses.fileStream(setup.runId()),
              FilesUploaded.newBuilder().addAllPath(names).build(),
              Bus.protobuf());
    }
    return Future.succeededFuture();
  }

  // ---- finish

  /**
   * The Sender's part of the finish: the final config upsert, the files, then the FileStream's
   * drain and its complete post; for a killed run's sync, its state set to crashed. Bounded by
   * {@code finishTimeout}: what is left then stays in the log for {@code runbus sync}.
   */
  Future<FinishResponse> finish() {
    finished = true;
    cancelTimers();
    Promise<FinishResponse> answer = Promise.promise();
    long timeout = setup.finishTimeout().toMillis();
    long timer =
        timeout <= 0
            ? -1
            : vertx.setTimer(
                timeout,
                id -> {
                  if (failure == null) {
                    failure = "the server did not take everything within " + describe(setup.finishTimeout());
                  }
                  answer.tryComplete(finishResponse(true));
                });
    drain(timeout <= 0 ? Long.MAX_VALUE : System.nanoTime() + timeout * 1_000_000)
        .onComplete(
            done -> {
              if (timer >= 0) {
                vertx.cancelTimer(timer);
              }
              if (done.succeeded()) {
                complete = true;
                answer.tryComplete(finishResponse(false));
              } else {
                if (failure == null) {
                  failure = done.cause().getMessage();
                }
                answer.tryComplete(finishResponse(true));
              }
            });
    return answer.future();
  }

  private Future<Void> drain(long deadlineNanos) {
    if (refused) {
      return Future.failedFuture(failure);
    }
    if (run == null) {
      return Future.failedFuture("no run record reached the Sender: nothing was upserted");
    }
    return upserted
        .future()
        .compose(b -> upsertConfigIfDirty())
        .compose(v -> metadataUpload)
        .compose(v -> upload(null))
        .compose(v -> fileStreamFinish(deadlineNanos))
        .compose(
            v ->
                setup.replay() && exit == null
                    ? graphql
                        .call(
                            "UpsertBucket",
                            Documents.UPSERT_BUCKET,
                            UpsertVariables.state(bucket, "crashed"),
                            Integer.MAX_VALUE,
                            RetryingRequests.FailedAttempts.NONE)
                        .<Void>mapEmpty()
                    : Future.<Void>succeededFuture())
        .onFailure(this::failed);
  }

  private Future<Void> fileStreamFinish(long deadlineNanos) {
    long left =
        deadlineNanos == Long.MAX_VALUE
            ? Duration.ofDays(7).toMillis()
            : Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000 + 1000);
    FileStreamFinish request =
        FileStreamFinish.newBuilder()
            .setComplete(exit != null)
            .setExitCode(exit == null ? 0 : exit.getExit().getExitCode())
            .build();
    return vertx
        .eventBus()
        .<com.google.protobuf.Message>request(
            Addresses.fileStream(setup.runId()), request, Bus.protobuf().setSendTimeout(left))
        .compose(
            reply -> {
              if (reply.body() instanceof FileStreamProgress progress) {
                onStreamProgress(progress);
              }
              return refused ? Future.failedFuture(failure) : Future.succeededFuture();
            });
  }

  private FinishResponse finishResponse(boolean incomplete) {
    return FinishResponse.newBuilder()
        .setExitResult(RunExitResult.newBuilder().setTimedOut(incomplete && !refused))
        .setRuntimeSeconds(exit == null ? 0 : exit.getExit().getRuntime())
        .setSend(progress(incomplete))
        .build();
  }

  // ---- refusals

  private void failed(Throwable e) {
    if (e instanceof ServerRefusal refusal) {
      refuse(refusal.getMessage());
    }
  }

  /** Once: no further requests, and one line saying what happened and how to finish later. */
  private void refuse(String reason) {
    if (refused) {
      return;
    }
    refused = true;
    failure = reason;
    cancelTimers();
    tunables
        .notices()
        .accept(
            setup.replay()
                // runbus sync prints its own verdict for the run; this says why
                ? "runbus: the server refused the upload of " + setup.runDir() + " (" + reason + ")"
                : "runbus: the server refused the run's upload ("
                    + reason
                    + "); the run goes on offline and its log is complete ("
                    + setup.logFile()
                    + "); to finish the upload later: java -jar runbus.jar sync --include-online "
                    + setup.runDir());
  }

  // ---- progress

  SendProgress progress() {
    return progress(refused);
  }

  private SendProgress progress(boolean incomplete) {
    SendProgress.Builder p =
        SendProgress.newBuilder()
            .setOnline(true)
            .setLogBytesFlushed(streamProgress.getLogBytesFlushed())
            .setLogBytesAcknowledged(streamProgress.getLogBytesAcknowledged())
            .setHistoryLinesAcknowledged(streamProgress.getHistoryLinesAcknowledged())
            .setFilesTotal(knownFiles.size())
            .setFilesUploaded(filesUploaded())
            .setUploadBytesTotal(knownFiles.values().stream().mapToLong(Long::longValue).sum())
            .setUploadBytesDone(uploadedBytes)
            .setIncomplete(incomplete || refused)
            .setStopRequested(stopRequested())
            .setComplete(complete && !refused);
    if (failure != null && (incomplete || refused)) {
      p.setFailure(failure);
    }
    if (bucket != null) {
      p.setRunUrl(Urls.run(setup.server().baseUrl(), bucket.entity(), bucket.project(), bucket.name()));
    }
    return p.build();
  }

  private int filesUploaded() {
    int n = 0;
    for (Map.Entry<String, Long> file : knownFiles.entrySet()) {
      if (file.getValue().equals(uploadedFiles.get(file.getKey()))) {
        n++;
      }
    }
    return n;
  }

  PollExitResponse pollExit() {
    long total = knownFiles.values().stream().mapToLong(Long::longValue).sum();
    return PollExitResponse.newBuilder()
        .setDone(complete)
        .setPusherStats(
            FilePusherStats.newBuilder().setUploadedBytes(uploadedBytes).setTotalBytes(total))
        .setFileCounts(RunFile.count(uploadedFiles.keySet()))
        .setSend(progress())
        .build();
  }

  // ---- lifetime

  void close() {
    closed = true;
    cancelTimers();
  }

  private void cancelTimers() {
    if (debounceTimer >= 0) {
      vertx.cancelTimer(debounceTimer);
      debounceTimer = -1;
    }
    if (stopTimer >= 0) {
      vertx.cancelTimer(stopTimer);
      stopTimer = -1;
    }
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static String firstSet(String a, String b) {
    return a != null && !a.isEmpty() ? a : b;
  }
}
