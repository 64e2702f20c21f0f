package dev.runbus.client;

import com.google.protobuf.Message;
import dev.runbus.MetricDefinition;
import dev.runbus.Mode;
import dev.runbus.Run;
import dev.runbus.RunConfig;
import dev.runbus.RunResult;
import dev.runbus.RunSummary;
import dev.runbus.Settings;
import dev.runbus.bus.Addresses;
import dev.runbus.console.ConsoleCapture;
import dev.runbus.console.RunConsole;
import dev.runbus.proto.Record;
import dev.runbus.proto.Result;
import dev.runbus.system.StatsMonitor;
import dev.runbus.system.SystemPeaks;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;

/**
 * A run whose records go through the event-bus pipeline (Handler, Writer, Sender) of a kernel. The
 * caller's thread only validates, copies and queues; see {@link RunClient}.
 *
 * <p>This class routes the calls of {@link Run}: how a run starts is in {@link RunStart}, how its
 * rows and records are queued in {@link RowIntake}, which calls it still takes in {@link CallGate},
 * how it finishes in {@link RunFinish}, and how the JVM's exit finishes it in {@link OpenRuns}. How
 * its failures are said: {@link PipelineFailure} and {@link Answers}.
 */
public final class PipelineRun implements Run {

  private final Settings settings;
  /** Where the run lives: for an attached rank, on the service's machine once it answered. */
  private volatile Path dir;
  private volatile Path logFile;
  /** Non-null when this run is one rank of a run hosted by a service. */
  private final dev.runbus.Attach attach;
  private final Runnable finished;
  /**
   * The run's lines, in UTF-8 whatever the locale: without LANG (a container, a CI job) Java would
   * encode System.err in ASCII and every sparkline glyph would become '?'. The bytes go through
   * whatever System.err is when the run starts, so a program that redirects it still gets them.
   */
  final PrintStream console =
      new PrintStream(ConsoleCapture.uncaptured(System.err), true, StandardCharsets.UTF_8);
  final RunClient client;
  private final CallGate gate;
  private final RowIntake intake;
  private final PipelineFailure pipelineFailure;
  private final Answers answers;
  final PipelineConfig config;
  private final PipelineSummary summary;
  private final RunFinish finish;
  private final CompletableFuture<Vertx> opened;
  private final StopRequests stopRequests;
  /** The run's system metrics; null when they are off. */
  private final StatsMonitor stats;
  /** The capture of System.out and System.err while the run is open; null when off. */
  private volatile RunConsole capturedConsole;

  PipelineRun(
      CompletableFuture<Vertx> ready, Settings settings, RunClock clock, Path dir, Path logFile) {
    this(
        ready,
        settings,
        clock,
        dir,
        logFile,
        Addresses.handler(settings.runId()),
        Map.of(),
        null,
        () -> {});
  }

  /**
   * @param address where the run's records go: its Handler, or an attached rank's coordinator
   * @param headers on every record sent there
   * @param attach how this run is attached to a service; null for a run of this JVM's kernel
   * @param finished runs once the run has finished (whether or not its finish succeeded)
   */
  PipelineRun(
      CompletableFuture<Vertx> ready,
      Settings settings,
      RunClock clock,
      Path dir,
      Path logFile,
      String address,
      Map<String, String> headers,
      dev.runbus.Attach attach,
      Runnable finished) {
    this.settings = settings;
    this.attach = attach;
    this.finished = finished;
    this.opened = ready;
    this.dir = dir;
    this.logFile = logFile;
    String runId = settings.runId();
    this.pipelineFailure = new PipelineFailure(runId, console);
    this.client =
        new RunClient(
            ready,
            runId,
            address,
            headers,
            settings.queueCapacity(),
            settings.queueBytes(),
            pipelineFailure::record);
    if (finishWait().toMillis() > 0) {
      client.finishMayWait(finishWait().toMillis());
    }
    this.stopRequests = new StopRequests(runId, client::direct);
    this.gate = new CallGate(runId, client);
    this.intake = new RowIntake(settings.strictSteps(), clock, client, gate, console);
    this.answers = new Answers(runId, logFile, pipelineFailure);
    this.config = new PipelineConfig(this);
    this.summary = new PipelineSummary(this, client);
    this.finish =
        new RunFinish(
            this,
            clock,
            client,
            intake,
            summary,
            answers,
            pipelineFailure,
            console,
            settings.quiet());
    this.stats =
        settings.stats().enabled()
            ? StatsMonitor.start(
                settings.stats().sampleInterval(),
                settings.stats().interval(),
                record -> intake.putIfOpen("system metrics", record))
            : null;
  }

  /**
   * Stops the run's system metrics, queueing their last partial aggregate; finish() calls it
   * before it queues the exit record, so a short run has its stats too.
   */
  SystemPeaks finishStats() {
    return stats == null ? SystemPeaks.NONE : stats.finish();
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
  /** How long finish() may wait for the server, on top of the pipeline's own drain. */
  Duration finishWait() {
    if (attach != null) {
      // the primary's finish waits for the other ranks, then the service's upload, if online
      return RankStart.RANK_FINISH_WAIT.plus(settings.finishTimeout());
    }
    return settings.mode() == Mode.ONLINE ? settings.finishTimeout() : Duration.ZERO;
  }

  /** Whether the JVM's exit finishes this run if it is still open ({@link Settings#finishAtExit}). */
  boolean finishesAtExit() {
    return settings.finishAtExit();
  }

  /** How this run is attached to a service, or null for a run of this JVM's kernel. */
  dev.runbus.Attach attached() {
    return attach;
  }

  /** Streams to a server itself (an attached rank never does: its service may). */
  private boolean online() {
    return settings.mode() == Mode.ONLINE && attach == null;
  }

  /**
   * The name this run holds in {@link OpenRuns}: its id, and for an attached rank its id and rank,
   * so several ranks of one run may share a JVM.
   */
  String reservation() {
    return reservation(settings);
  }

  static String reservation(Settings settings) {
    return settings.attach().enabled()
        ? settings.runId() + "#rank" + settings.attach().rank()
        : settings.runId();
  }

  /** Runs once, when the finish is over; see the constructor. */
  void finished() {
    finished.run();
  }

  /** Where the service keeps the run this rank attached to, once it said so. */
  void located(Path dir, Path logFile) {
    this.dir = dir;
    this.logFile = logFile;
  }

  public static PipelineRun start(CompletableFuture<Vertx> kernel, Settings settings) {
    return RunStart.start(kernel, settings);
  }

  /** Starts a rank of a run hosted by a runbus service; see {@link RankStart}. */
  public static PipelineRun attach(Settings settings) {
    return RankStart.start(settings);
  }

  /** Starts a rank through a clustered Vert.x the caller owns, once {@code node} completes. */
  public static PipelineRun attach(CompletableFuture<Vertx> node, Settings settings) {
    return RankStart.start(node, settings);
  }

  @Override
  public String id() {
    return settings.runId();
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
    return intake.step();
  }

  /**
   * The run directory, which the kernel makes as it opens the run: the first call in a fresh JVM
   * waits until it has (the kernel's start, a few hundred milliseconds at most), so that a file can
   * be written there at once, as W&B's {@code run.dir} allows after {@code init}.
   */
  @Override
  public Path dir() {
    awaitOpen();
    return dir;
  }

  /** The run's log, once the kernel has created it; see {@link #dir()}. */
  @Override
  public Path logFile() {
    awaitOpen();
    return logFile;
  }

  /** The directory's path, known from init on, whether or not it exists yet: never waits. */
  public Path dirPath() {
    return dir;
  }

  /** The log's path, known from init on, whether or not it exists yet: never waits. */
  public Path logPath() {
    return logFile;
  }

  /**
   * Waits until the run's stream opened or failed to open: a run that could not start still has
   * its path, and log() and finish() say why it has no directory. Never on an event loop, which the
   * opening may need; there the path comes at once.
   */
  private void awaitOpen() {
    if (opened.isDone() || Context.isOnEventLoopThread()) {
      return;
    }
    try {
      opened.get(Answers.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException notOpened) {
      // said by the calls that record: log() and finish() throw with the reason
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void log(Map<String, ?> row) {
    intake.log(row, Row.NO_STEP, null);
  }

  @Override
  public void log(Map<String, ?> row, long step) {
    intake.log(row, step, null);
  }

  @Override
  public void log(Map<String, ?> row, boolean commit) {
    intake.log(row, Row.NO_STEP, commit);
  }

  @Override
  public void log(Map<String, ?> row, long step, boolean commit) {
    intake.log(row, step, commit);
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
  public void markPreempting() {
    putIfOpen(
        "markPreempting()",
        Record.newBuilder()
            .setPreempting(dev.runbus.proto.RunPreemptingRecord.getDefaultInstance())
            .build());
  }

  @Override
  public boolean shouldStop() {
    return online() && !isFinished() && stopRequests.shouldStop();
  }

  @Override
  public void onStop(Runnable callback) {
    if (!online()) {
      return;
    }
    stopRequests.onStop(callback);
    // asked on a timer too, so the callback comes whether or not the program asks
    opened.thenAccept(
        vertx -> {
          long[] timer = new long[1];
          timer[0] =
              vertx.setPeriodic(
                  StopRequests.POLL_MILLIS,
                  id -> {
                    if (isFinished()) {
                      vertx.cancelTimer(timer[0]);
                    } else {
                      stopRequests.askIfDue();
                      stopRequests.callbackIfStopped();
                    }
                  });
        });
  }

  @Override
  public boolean isFinished() {
    return gate.isClosed();
  }

  /** Queues {@code record} unless the run takes no more calls; see {@link RowIntake}. */
  void putIfOpen(String call, Record record) {
    intake.putIfOpen(call, record);
  }

  /** Throws unless the run still takes calls. */
  void checkOpen(String call) {
    gate.check(call);
  }

  /** Whether a call may still record; see {@link CallGate}. */
  boolean acceptsCalls(String call) {
    return gate.accepts(call);
  }

  /** Waits for a queued request's answer. */
  Result await(CompletableFuture<Message> answer, String what) {
    return answers.await(answer, what);
  }

  @Override
  public RunResult finish(int exitCode) {
    return finish.finish(exitCode);
  }

  /** Whether {@code e} reports the pipeline failure already said on the console. */
  boolean alreadySaid(RuntimeException e) {
    return pipelineFailure.alreadySaid(e);
  }

  /** Starts capturing the console into the run's queue ({@link RunConsole}). */
  void captureConsole() {
    capturedConsole =
        new RunConsole(
                id(),
                record -> intake.putIfOpen("console output", record),
                RunConsole.DEFAULT_MAX_BYTES)
            .start();
  }

  /** Stops the capture, once every captured line is queued: before the exit record. */
  void stopConsole() {
    RunConsole capture = capturedConsole;
    if (capture != null) {
      capture.stop();
    }
  }

  /** Console lines captured for the run (0 when the capture is off). */
  long consoleLines() {
    RunConsole capture = capturedConsole;
    return capture == null ? 0 : capture.lines();
  }

  /** The JVM's exit is about to finish this run; see {@link OpenRuns}. */
  void closingAtExit() {
    gate.closingAtExit();
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
}
