package dev.runbus.client;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.runbus.MetricDefinition;
import dev.runbus.Mode;
import dev.runbus.Run;
import dev.runbus.RunConfig;
import dev.runbus.RunResult;
import dev.runbus.RunSummary;
import dev.runbus.RunbusException;
import dev.runbus.Settings;
import dev.runbus.bus.Addresses;
import dev.runbus.proto.CloseStreamRequest;
import dev.runbus.proto.Control;
import dev.runbus.proto.FinishRequest;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.KernelRequest;
import dev.runbus.proto.KernelResponse;
import dev.runbus.proto.OpenStreamRequest;
import dev.runbus.proto.OpenStreamResponse;
import dev.runbus.proto.PollExitRequest;
import dev.runbus.proto.PollExitResponse;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.Result;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.RunRecord;
import dev.runbus.proto.RunStartRequest;
import dev.runbus.proto.SampledHistoryRequest;
import dev.runbus.proto.StreamOptions;
import dev.runbus.proto.TelemetryFeature;
import dev.runbus.proto.TelemetryRecord;
import dev.runbus.report.RunReport;
import dev.runbus.writer.RunDirectory;
import dev.runbus.writer.RunDirectoryException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A run whose records go through the event-bus pipeline (Handler, Writer, Sender) of a kernel. The
 * caller's thread only validates, copies and queues; see {@link RunClient}.
 */
public final class PipelineRun implements Run {

  public static final String PRODUCER = "runbus " + Version.VERSION;

  /** How long init and the requests of finish may take before runbus gives up and says so. */
  private static final long REQUEST_TIMEOUT_SECONDS = 120;


  private final Settings settings;
  private final String runId;
  private final Path dir;
  private final Path logFile;
  private final RunClient client;
  private final StepMirror steps;
  private final double startSeconds;
  private final long startNanos;
  private final PipelineConfig config;
  private final PipelineSummary summary;
  private final PrintStream console = System.err;
  private volatile boolean finishing;
  private volatile boolean finishedAtExit; // by the shutdown hook
  private volatile Throwable pipelineFailure;
  private boolean warnedLowerStep;
  private RunResult result;
  private RuntimeException finishFailure;

  private PipelineRun(
      CompletableFuture<Vertx> ready,
      Settings settings,
      double startSeconds,
      long startNanos,
      RunDirectory directory) {
    this.settings = settings;
    this.runId = settings.runId();
    this.startSeconds = startSeconds;
    this.startNanos = startNanos;
    this.dir = directory.runDir();
    this.logFile = directory.logFile();
    this.steps = new StepMirror(0);
    this.client =
        new RunClient(
            ready,
            runId,
            Addresses.handler(runId),
            settings.queueCapacity(),
            this::onPipelineFailure);
    this.config = new PipelineConfig(this);
    this.summary = new PipelineSummary(this, client);
  }

  /**
   * Starts a run whose pipeline lives in the kernel of the Vert.x instance {@code kernel} completes
   * with.
   *
   * <p>What can be checked here is checked here, so a bad setting or an unwritable directory fails
   * {@code init} itself. Then the run record is queued and {@code init} returns; opening the stream
   * in the kernel (and, on first use, starting Vert.x) carries on in the background while the
   * caller gets on with its work. Rows logged meanwhile wait in the queue.
   */
  public static PipelineRun start(CompletableFuture<Vertx> kernel, Settings settings) {
    refuseEventLoop("init()");
    if (settings.mode() == Mode.ONLINE) {
      throw new RunbusException(
          "runbus: online mode is not available in this version yet; "
              + "set WANDB_MODE=offline (or Settings.mode(Mode.OFFLINE)) and upload later with `wandb sync`");
    }
    if (OpenRuns.withId(settings.runId()) != null) {
      throw new RunbusException(
          "runbus: cannot start run "
              + settings.runId()
              + ": run "
              + settings.runId()
              + " is already open in this process; finish it first or choose another id");
    }
    Map<String, Object> initialConfig = PipelineConfig.checkedCopy(settings.config());
    long startNanos = System.nanoTime();
    double startSeconds = System.currentTimeMillis() / 1000.0;
    RunDirectory directory;
    try {
      directory =
          RunDirectory.create(
              settings.dir(), settings.runId(), settings.mode() != Mode.ONLINE, startSeconds);
    } catch (RunDirectoryException e) {
      throw new RunbusException(
          "runbus: cannot start run " + settings.runId() + ": " + e.getMessage(), e);
    }
    CompletableFuture<Vertx> ready =
        kernel.thenCompose(vertx -> open(vertx, settings, startSeconds).thenApply(opened -> vertx));
    PipelineRun run = new PipelineRun(ready, settings, startSeconds, startNanos, directory);
    run.config.initial(initialConfig);
    run.client.put(run.runRecord());
    run.client.put(
        Record.newBuilder()
            .setRequest(Request.newBuilder().setRunStart(RunStartRequest.getDefaultInstance()))
            .build());
    OpenRuns.add(run);
    if (!settings.quiet()) {
      run.console.println(startLine(settings, run.dir));
    }
    return run;
  }

  /** What W&B says at init: which run, which project, where its data goes. */
  static String startLine(Settings settings, Path dir) {
    StringBuilder line = new StringBuilder("runbus ").append(Version.VERSION).append(": offline run ");
    line.append(settings.runId());
    if (!settings.name().isEmpty()) {
      line.append(" \"").append(settings.name()).append('"');
    }
    if (!settings.project().isEmpty()) {
      line.append(" in project ").append(settings.project());
    }
    return line.append(", saved in ").append(RunReport.relative(dir)).toString();
  }

  private static CompletableFuture<OpenStreamResponse> open(
      Vertx vertx, Settings settings, double startSeconds) {
    StreamOptions options =
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
            .build();
    KernelRequest request =
        KernelRequest.newBuilder()
            .setOpenStream(
                OpenStreamRequest.newBuilder().setRunId(settings.runId()).setOptions(options))
            .build();
    CompletableFuture<OpenStreamResponse> opened = new CompletableFuture<>();
    vertx
        .eventBus()
        .<Message>request(Addresses.KERNEL_RUNS, request, dev.runbus.bus.Bus.protobuf())
        .onSuccess(m -> opened.complete(((KernelResponse) m.body()).getOpenStream()))
        .onFailure(
            e ->
                opened.completeExceptionally(
                    new RunbusException(
                        "the kernel could not open the run: " + describe(e), e)));
    return opened;
  }

  /** Whole milliseconds; longer than the wire's int32 (24.8 days) counts as that long. */
  private static int millis(Duration interval) {
    return (int) Math.min(interval.toMillis(), Integer.MAX_VALUE);
  }

  private Record runRecord() {
    RunRecord.Builder run =
        RunRecord.newBuilder()
            .setRunId(runId)
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

  @Override
  public String id() {
    return runId;
  }

  @Override
  public Mode mode() {
    return settings.mode();
  }

  @Override
  public String project() {
    return settings.project();
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public long step() {
    synchronized (steps) {
      return steps.current();
    }
  }

  @Override
  public Path dir() {
    return dir;
  }

  @Override
  public Path logFile() {
    return logFile;
  }

  @Override
  public void log(Map<String, ?> row) {
    logRow(row, Row.NO_STEP, null);
  }

  @Override
  public void log(Map<String, ?> row, long step) {
    logRow(row, step, null);
  }

  @Override
  public void log(Map<String, ?> row, boolean commit) {
    logRow(row, Row.NO_STEP, commit);
  }

  @Override
  public void log(Map<String, ?> row, long step, boolean commit) {
    logRow(row, step, commit);
  }

  /** {@code step} is {@link Row#NO_STEP} when the caller gave none. */
  private void logRow(Map<String, ?> row, long step, Boolean commit) {
    if (row == null) {
      throw LogChecks.nullRow();
    }
    if (!acceptsCalls("log()")) {
      return;
    }
    int capacity = row.size();
    String[] keys = new String[capacity];
    Object[] values = new Object[capacity];
    int n = LogChecks.copyInto(row, keys, values);
    synchronized (steps) {
      if (!acceptsCalls("log()")) {
        return; // finish() took the lock first: its exit record is queued, nothing may follow it
      }
      long current = steps.conflict(step);
      if (current >= 0) {
        lowerStep(step, current);
      }
      double now = now();
      client.putRow(new Row(keys, values, n, step, commit, now, now - startSeconds));
      if (current < 0) {
        steps.accept(step, commit); // only once queued: a put that failed logged nothing
      }
    }
  }

  /** §2.3: W&B drops the row and warns; strict mode refuses it here instead. */
  private void lowerStep(long step, long current) {
    if (settings.strictSteps()) {
      throw LogChecks.lowerStep(step, current);
    }
    if (!warnedLowerStep) {
      warnedLowerStep = true;
      console.println(
          "runbus: WARNING Tried to log to step "
              + step
              + " that is less than the current step "
              + current
              + ". Steps must be monotonically increasing, so this data will be ignored. "
              + "See https://wandb.me/define-metric to log data out of order.");
    }
  }

  /** Unix seconds, from one wall-clock reading at start plus a monotonic clock. */
  double now() {
    return startSeconds + (System.nanoTime() - startNanos) / 1e9;
  }

  @Override
  public RunConfig config() {
    return config;
  }

  @Override
  public RunSummary summary() {
    return summary;
  }

  @Override
  public void defineMetric(MetricDefinition definition) {
    putIfOpen("defineMetric()", Record.newBuilder().setMetric(definition.toRecord()).build());
  }

  @Override
  public boolean isFinished() {
    return finishing;
  }

  /**
   * Queues {@code record} unless the run takes no more calls. Under the same lock as the exit
   * record finish() queues, so nothing a call accepted can land after it.
   */
  void putIfOpen(String call, Record record) {
    synchronized (steps) {
      if (acceptsCalls(call)) {
        client.put(record);
      }
    }
  }

  /** Throws unless the run still takes calls. */
  void checkOpen(String call) {
    if (!acceptsCalls(call)) {
      throw new IllegalStateException(
          call + " on run " + runId + ", which was finished as the program exited");
    }
  }

  /**
   * Whether a call may still record. After finish() it throws, except once the JVM's exit has
   * finished the run: the program's threads may still be logging while it shuts down, and what
   * they log then is dropped quietly rather than thrown at them.
   */
  boolean acceptsCalls(String call) {
    if (finishing) {
      if (finishedAtExit) {
        return false;
      }
      throw LogChecks.finished(call, runId);
    }
    Throwable dead = client.dead();
    if (dead != null) {
      throw new RunbusException(
          "runbus: run " + runId + " cannot record anything: " + describe(dead), dead);
    }
    return true;
  }

  @Override
  public synchronized RunResult finish(int exitCode) {
    if (result != null) {
      return result;
    }
    if (finishFailure != null) {
      // the pipeline is gone; trying again would only wait for an answer that cannot come
      throw new RunbusException(finishFailure.getMessage(), finishFailure);
    }
    refuseEventLoop("finish()");
    OpenRuns.remove(this);
    try {
      synchronized (steps) { // with every call that records: none lands after the exit record
        finishing = true;
        client.put(
            Record.newBuilder()
                .setExit(RunExitRecord.newBuilder().setExitCode(exitCode))
                .setControl(Control.newBuilder().setAlwaysSend(true))
                .build());
      }
      FinishResponse finished = drain();
      Map<String, Object> finalSummary = summary.fetch();
      Map<String, double[]> history =
          SampledHistory.toMap(
              await(
                      client.request(
                          Record.newBuilder()
                              .setRequest(
                                  Request.newBuilder()
                                      .setSampledHistory(
                                          SampledHistoryRequest.getDefaultInstance()))
                              .build()),
                      "finish")
                  .getResponse()
                  .getSampledHistoryResponse());
      if (pipelineFailure != null) {
        throw new RunbusException(
            "runbus: run "
                + runId
                + " is incomplete: "
                + describe(pipelineFailure)
                + "; what was written before that is in "
                + logFile,
            pipelineFailure);
      }
      result =
          new RunResult(
              runId,
              settings.mode(),
              exitCode,
              dir,
              logFile,
              now() - startSeconds,
              finished.getHistoryRows(),
              finished.getDroppedRows(),
              finished.getProgress().getRecordsWritten(),
              finished.getProgress().getBytesWritten(),
              finalSummary,
              history);
    } catch (RuntimeException e) {
      finishFailure = e;
      throw e;
    } finally {
      client.close();
      if (client.dead() == null) {
        closeStream();
      }
    }
    if (!settings.quiet()) {
      console.print(result.report());
      console.flush();
    }
    return result;
  }

  /** Sends the finish drain and shows progress while it takes longer than a second. */
  private FinishResponse drain() {
    CompletableFuture<Message> finish =
        client.request(
            Record.newBuilder()
                .setRequest(Request.newBuilder().setFinish(FinishRequest.getDefaultInstance()))
                .build());
    FinishProgress progress = new FinishProgress(console, settings.quiet());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REQUEST_TIMEOUT_SECONDS);
    while (true) {
      try {
        Result answer = (Result) finish.get(1, TimeUnit.SECONDS);
        progress.done();
        return answer.getResponse().getFinishResponse();
      } catch (TimeoutException stillDraining) {
        if (System.nanoTime() > deadline) {
          throw new RunbusException(
              "runbus: run "
                  + runId
                  + " did not finish in "
                  + REQUEST_TIMEOUT_SECONDS
                  + " s; what was written is in "
                  + logFile);
        }
        PollExitResponse poll = pollExit();
        if (poll != null) {
          progress.show(poll.getProgress(), client.queued());
        }
      } catch (ExecutionException e) {
        throw failure("finish", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RunbusException("runbus: interrupted while finishing run " + runId);
      }
    }
  }

  private PollExitResponse pollExit() {
    try {
      Result answer =
          (Result)
              client
                  .direct(
                      Addresses.handler(runId),
                      Record.newBuilder()
                          .setRequest(
                              Request.newBuilder()
                                  .setPollExit(PollExitRequest.getDefaultInstance()))
                          .build())
                  .get(1, TimeUnit.SECONDS);
      return answer.getResponse().getPollExitResponse();
    } catch (ExecutionException | TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Waits for a queued request's answer. */
  Result await(CompletableFuture<Message> answer, String what) {
    try {
      return (Result) answer.get(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw failure(what, e.getCause());
    } catch (TimeoutException e) {
      throw new RunbusException(
          "runbus: run "
              + runId
              + ": "
              + what
              + " got no answer in "
              + REQUEST_TIMEOUT_SECONDS
              + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunbusException("runbus: interrupted while waiting for run " + runId);
    }
  }

  private RunbusException failure(String what, Throwable cause) {
    Throwable first = pipelineFailure != null ? pipelineFailure : cause;
    return new RunbusException(
        "runbus: run " + runId + ": " + what + " failed: " + describe(first), first);
  }

  private void onPipelineFailure(Throwable e) {
    if (pipelineFailure == null) {
      pipelineFailure = e;
      console.println("runbus: ERROR run " + runId + ": " + describe(e));
    }
  }

  private static String describe(Throwable e) {
    if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return "the run's pipeline is gone (was the Vert.x instance it ran in closed before the run"
          + " finished?)";
    }
    if (e instanceof ReplyException reply && reply.getMessage() != null) {
      return reply.getMessage();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** Undeploys the run's verticles; nobody waits for it, the run is already safe on disk. */
  private void closeStream() {
    client.direct(
        Addresses.KERNEL_RUNS,
        KernelRequest.newBuilder()
            .setCloseStream(CloseStreamRequest.newBuilder().setRunId(runId))
            .build());
  }

  /** init and finish wait for the pipeline, which may need the very event loop they would block. */
  public static void refuseEventLoop(String call) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "runbus: "
              + call
              + " waits for the run's pipeline; call it off the event loop "
              + "(for example from executeBlocking or a worker verticle)");
    }
  }

  /** Finishes the run as the JVM exits; calls still being made meanwhile are dropped quietly. */
  void finishAtExit(int exitCode) {
    finishedAtExit = true;
    try {
      finish(exitCode);
    } catch (RuntimeException e) {
      console.println("runbus: could not finish run " + runId + " at exit: " + e.getMessage());
    }
  }
}
