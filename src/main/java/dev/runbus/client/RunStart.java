package dev.runbus.client;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.runbus.Mode;
import dev.runbus.RunbusException;
import dev.runbus.Settings;
import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.proto.CloseStreamRequest;
import dev.runbus.proto.Control;
import dev.runbus.proto.KernelRequest;
import dev.runbus.proto.KernelResponse;
import dev.runbus.proto.OpenStreamRequest;
import dev.runbus.proto.OpenStreamResponse;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.RunStartRequest;
import dev.runbus.proto.StreamOptions;
import dev.runbus.proto.TelemetryFeature;
import dev.runbus.proto.TelemetryRecord;
import dev.runbus.report.RunReport;
import dev.runbus.writer.RunDirectory;
import dev.runbus.writer.RunDirectoryException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How a run starts: the checks that can fail {@code init} itself, the run directory, the request
 * that opens the run's stream in the kernel, and the run record (with its telemetry) that the run's
 * queue begins with.
 */
final class RunStart {

  /** Who wrote the log, in its header and the run's telemetry. */
  static final String PRODUCER = "runbus " + Version.VERSION;

  private RunStart() {}

  /** See {@link PipelineRun#start}. */
  static PipelineRun start(CompletableFuture<Vertx> kernel, Settings settings) {
    PipelineRun.refuseEventLoop("init()");
    reserveId(settings.runId());
    try {
      return startReserved(kernel, settings);
    } catch (RuntimeException | Error e) {
      OpenRuns.release(settings.runId());
      throw e;
    }
  }

  private static PipelineRun startReserved(CompletableFuture<Vertx> kernel, Settings settings) {
    Map<String, Object> initialConfig = PipelineConfig.checkedCopy(settings.config());
    RunClock clock = RunClock.start();
    RunDirectory directory = checkedDirectory(settings, clock.startSeconds);
    // the stream opens with the run record, so an online Sender can create the run at once
    CompletableFuture<Record> runRecord = new CompletableFuture<>();
    CompletableFuture<Vertx> ready =
        kernel
            .thenCombine(runRecord, (vertx, record) -> vertx)
            .thenCompose(
                vertx ->
                    open(vertx, settings, clock.startSeconds, directory.logFile(), runRecord.join())
                        .thenApply(opened -> vertx));
    PipelineRun run =
        new PipelineRun(ready, settings, clock, directory.runDir(), directory.logFile());
    run.config.initial(initialConfig);
    Record record = runRecord(settings, clock.startSeconds, run.config);
    run.client.put(record);
    runRecord.complete(record);
    run.client.put(
        Record.newBuilder()
            .setRequest(Request.newBuilder().setRunStart(RunStartRequest.getDefaultInstance()))
            .build());
    OpenRuns.add(run);
    if (!settings.quiet()) {
      run.console.println(startLine(settings, run.dirPath()));
    }
    if (settings.console()) {
      run.captureConsole();
    }
    return run;
  }

  /**
   * Takes the run's id before anything else of the start is done, so that of two threads starting
   * runs with one id at once, one gets the run and the other this error, as if one came later.
   */
  static void reserveId(String runId) {
    if (!OpenRuns.reserve(runId)) {
      throw new RunbusException(
          "runbus: cannot start run "
              + runId
              + ": run "
              + runId
              + " is already open in this process; finish it first or choose another id");
    }
  }

  /**
   * The run's directory, named and checked but not created: the kernel's Writer creates it. The
   * check lets init fail at once for a directory the caller must fix.
   */
  private static RunDirectory checkedDirectory(Settings settings, double startSeconds) {
    RunDirectory directory =
        RunDirectory.of(
            settings.dir(), settings.runId(), settings.mode() != Mode.ONLINE, startSeconds);
    try {
      directory.checkCreatable();
    } catch (RunDirectoryException e) {
      throw new RunbusException(
          "runbus: cannot start run " + settings.runId() + ": " + e.getMessage(), e);
    }
    return directory;
  }

  /** What W&B says at init: which run, which project, where its data goes. */
  static String startLine(Settings settings, Path dir) {
    StringBuilder line =
        new StringBuilder("runbus ")
            .append(Version.VERSION)
            .append(settings.mode() == Mode.ONLINE ? ": online run " : ": offline run ");
    line.append(settings.runId());
    if (!settings.name().isEmpty()) {
      line.append(" \"").append(settings.name()).append('"');
    }
    if (!settings.project().isEmpty()) {
      line.append(" in project ").append(settings.project());
    }
    settings
        .server()
        .filter(server -> settings.mode() == Mode.ONLINE)
        .ifPresent(server -> line.append(", streaming to ").append(server.baseUrl()));
    return line.append(", saved in ").append(RunReport.relative(dir)).toString();
  }

  /**
   * Opens the run's stream. The kernel answers with the log it opened, which must be the one this
   * run named at init: {@code run.logFile()} is never allowed to point elsewhere.
   */
  private static CompletableFuture<OpenStreamResponse> open(
      Vertx vertx, Settings settings, double startSeconds, Path logFile, Record runRecord) {
    StreamOptions.Builder options =
        StreamOptions.newBuilder()
            .setRootDir(settings.dir().toString())
            .setOffline(settings.mode() != Mode.ONLINE)
            .setFsync(
                switch (settings.fsync()) {
                  case AT_FINISH -> StreamOptions.FsyncPolicy.AT_FINISH;
                  case NONE -> StreamOptions.FsyncPolicy.NONE;
                  case INTERVAL -> StreamOptions.FsyncPolicy.INTERVAL;
                })
            .setFlushIntervalMs(millis(settings.flushInterval()))
            .setFsyncIntervalMs(millis(settings.fsyncInterval()))
            .setStartTime(startSeconds)
            .setProgram(ProgramInfo.program())
            .addAllArgs(ProgramInfo.args())
            .setProducer(PRODUCER)
            // the Writer reads git in the working directory; none given, it reads none
            .setWorkingDir(settings.gitMetadata() ? System.getProperty("user.dir", "") : "")
            .setClassPath(System.getProperty("java.class.path", ""));
    if (settings.mode() == Mode.ONLINE) {
      settings
          .server()
          .ifPresent(
              server ->
                  options
                      .setBaseUrl(server.baseUrl().toString())
                      .setApiKey(server.apiKey())
                      .setResume(settings.resume())
                      .setFinishTimeoutMs(settings.finishTimeout().toMillis())
                      .setEntity(settings.entity())
                      .setProject(settings.project()));
    }
    KernelRequest request =
        KernelRequest.newBuilder()
            .setOpenStream(
                OpenStreamRequest.newBuilder()
                    .setRunId(settings.runId())
                    .setOptions(options)
                    .setRun(runRecord.getRun()))
            .build();
    CompletableFuture<OpenStreamResponse> opened = new CompletableFuture<>();
    vertx
        .eventBus()
        .<Message>request(Addresses.KERNEL_RUNS, request, Bus.protobuf())
        .onSuccess(
            m -> {
              OpenStreamResponse response = ((KernelResponse) m.body()).getOpenStream();
              if (response.getLogPath().equals(logFile.toString())) {
                opened.complete(response);
              } else {
                closeStream(vertx, settings.runId());
                opened.completeExceptionally(
                    new StreamNotOpened(
                        "the kernel opened the run's log as "
                            + response.getLogPath()
                            + ", not as "
                            + logFile
                            + " where this run said it would be",
                        null));
              }
            })
        .onFailure(
            e ->
                opened.completeExceptionally(
                    new StreamNotOpened(
                        "the kernel could not open the run: " + PipelineFailure.describe(e), e)));
    return opened;
  }

  /** Undeploys a stream the run will not use; nobody waits for it. */
  private static void closeStream(Vertx vertx, String runId) {
    vertx
        .eventBus()
        .request(
            Addresses.KERNEL_RUNS,
            KernelRequest.newBuilder()
                .setCloseStream(CloseStreamRequest.newBuilder().setRunId(runId))
                .build(),
            Bus.protobuf());
  }

  /** Whole milliseconds; longer than the wire's int32 (24.8 days) counts as that long. */
  private static int millis(Duration interval) {
    return (int) Math.min(interval.toMillis(), Integer.MAX_VALUE);
  }

  /** The run record: who, what and when, the config given at init, and runbus's telemetry. */
  static Record runRecord(
      Settings settings, double startSeconds, PipelineConfig config) {
    RunRecord.Builder run =
        RunRecord.newBuilder()
            .setRunId(settings.runId())
            .setProject(settings.project())
            .setEntity(settings.entity())
            .setDisplayName(settings.name())
            .setNotes(settings.notes())
            .addAllTags(settings.tags())
            .setRunGroup(settings.group())
            .setJobType(settings.jobType())
            .setHost(ProgramInfo.host())
            .setStartTime(
                Timestamp.newBuilder()
                    .setSeconds((long) Math.floor(startSeconds))
                    .setNanos((int) ((startSeconds - Math.floor(startSeconds)) * 1e9)))
            .setTelemetry(
                TelemetryRecord.newBuilder()
                    .setFeature(
                        TelemetryFeature.newBuilder()
                            .setGrpc(true)
                            .setOffline(settings.mode() != Mode.ONLINE))
                    .setCoreVersion(PRODUCER)
                    .setPlatform(
                        System.getProperty("os.name") + "-" + System.getProperty("os.arch")));
    if (!settings.config().isEmpty()) {
      run.setConfig(config.asRecord());
    }
    return Record.newBuilder()
        .setRun(run)
        .setControl(Control.newBuilder().setReqResp(true))
        .build();
  }
}
