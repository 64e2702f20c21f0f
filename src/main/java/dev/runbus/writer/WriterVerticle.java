package dev.runbus.writer;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.bus.Failures;
import dev.runbus.console.OutputLog;
import dev.runbus.log.LogWriter;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.LogFlushed;
import dev.runbus.proto.OpenStreamRequest;
import dev.runbus.proto.PipelineProgress;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Response;
import dev.runbus.proto.Result;
import dev.runbus.proto.StreamOptions;
import dev.runbus.sender.SenderRecords;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Writer stage: appends a run's records to its {@code .wandb} log and passes them on to the
 * Sender. Deployed as a worker verticle because every call here may block on the disk.
 *
 * <p>Durability: bytes reach the OS at least every {@code flush_interval_ms} and at finish; the log
 * is forced to the device at finish (default), never, or every {@code fsync_interval_ms}. Until the
 * log holds a row, each batch reaches the OS before it is answered: a process killed in its first
 * second (before the first flush tick) still leaves its run, its config and its first rows.
 */
public final class WriterVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(WriterVerticle.class.getName());

  /** Written since the last background force before another is worth it. */
  private static final long SYNC_AHEAD_BYTES = 16L << 20;

  private final OpenStreamRequest open;
  private RunDirectory directory;
  private RecordWriter writer;
  private RunFiles files;
  /** files/output.log, from the console records the log gets; see {@link OutputLog}. */
  private OutputLog outputLog;
  private boolean outputLogWarned;
  private long lastFlushedRecords;
  private long lastSync = System.nanoTime();
  private long syncedAhead;
  private boolean syncingAhead;
  private boolean firstRowHandedOver;
  private boolean finished;
  private String failure;
  private boolean configFileWarned;
  private long announcedFlushed;
  private Future<Void> metadataWritten = Future.succeededFuture();

  public WriterVerticle(OpenStreamRequest open) {
    this.open = open;
  }

  @Override
  public Future<?> start() throws IOException {
    StreamOptions options = open.getOptions();
    directory =
        RunDirectory.create(
            Path.of(options.getRootDir()),
            open.getRunId(),
            options.getOffline(),
            options.getStartTime());
    LogWriter log;
    try {
      log = LogWriter.create(directory.logFile());
    } catch (IOException e) {
      throw new RunDirectoryException(
          "cannot create the run log "
              + directory.logFile()
              + ": "
              + RunDirectory.reason(e, directory.logFile()),
          e);
    }
    writer = new RecordWriter(log);
    writer.writeHeader(options.getProducer());
    files = new RunFiles(directory.filesDir());
    outputLog = new OutputLog(directory.filesDir().resolve("output.log"));
    // off the init path and off this verticle's thread (git may take a while in a big
    // repository, and batches must not wait behind it); the files are written here once read
    // git and the jars are read at once, on two workers: a short run's finish waits for the slower
    Future<Optional<GitMetadata>> git = vertx.executeBlocking(() -> RunEnvironment.git(options), false);
    Future<List<String>> jars =
        vertx.executeBlocking(() -> RunEnvironment.requirements(options), false);
    metadataWritten =
        Future.all(git, jars)
            .map(both -> new RunEnvironment(git.result(), jars.result()))
            .map(
                environment -> {
                  writeMetadata(environment);
                  return (Void) null;
                })
            .otherwise(
                e -> {
                  LOG.log(Level.WARNING, "reading the run's metadata failed", e);
                  writeMetadata(RunEnvironment.NONE);
                  return null;
                });
    vertx.setPeriodic(Math.max(50, options.getFlushIntervalMs()), id -> flushTick());
    return vertx
        .eventBus()
        .<com.google.protobuf.Message>localConsumer(
            Addresses.writer(open.getRunId()), Failures.answered("writer", this::onMessage))
        .completion();
  }

  @Override
  public Future<?> stop() {
    if (writer != null) {
      try {
        writer.log().close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "closing " + directory.logFile(), e);
      }
    }
    return Future.succeededFuture();
  }

  public RunDirectory directory() {
    return directory;
  }

  private void onMessage(Message<com.google.protobuf.Message> message) {
    com.google.protobuf.Message body = message.body();
    if (body instanceof RecordBatch batch) {
      onBatch(message, batch);
    } else if (body instanceof Record record && record.getRequest().hasFinish()) {
      onFinish(message, record);
    } else {
      message.fail(
          Failures.BAD_RECORD, "writer: unexpected " + body.getDescriptorForType().getName());
    }
  }

  private void onBatch(Message<com.google.protobuf.Message> message, RecordBatch batch) {
    if (finished) {
      message.fail(Failures.BAD_RECORD, "writer: run " + open.getRunId() + " is already finished");
      return;
    }
    if (failure != null) {
      // the log broke (a full disk): the rest of the run fails with that reason, said once
      message.fail(Failures.INTERNAL, failure);
      return;
    }
    RecordBatch.Builder toSender = null;
    try {
      for (Record record : batch.getRecordList()) {
        writer.write(record);
        if (record.hasOutputRaw() || record.hasOutput()) {
          outputLog(() -> outputLog.accept(record));
        }
        if (record.hasPreempting()) {
          writer.log().flush(); // the process may be gone within seconds
        }
        if (forwardsToSender(record)) {
          if (toSender == null) {
            toSender = RecordBatch.newBuilder();
          }
          toSender.addRecord(record);
        }
      }
      handOverTheRunsStart();
    } catch (IOException e) {
      fail(message, describe(e), e);
      return;
    } catch (RuntimeException | Error e) {
      // a bug or a dying JVM, but the caller must hear of it: an unanswered batch would stall the
      // run, and an Error that escaped would leave records lost with nobody told
      fail(message, "writing " + directory.logFile() + " failed: " + e, e);
      return;
    }
    if (toSender != null) {
      vertx.eventBus().send(Addresses.sender(open.getRunId()), toSender.build(), Bus.protobuf());
    }
    announceFlushed(false);
    message.reply(progress(), Bus.protobuf());
  }

  /**
   * A run's first records (run, config, the first rows) go to the OS as soon as they are written,
   * so a run killed before the first flush tick is still visible with what it logged; from the
   * first row on, the tick's once a second is enough. A few write calls per run.
   */
  private void handOverTheRunsStart() throws IOException {
    if (!firstRowHandedOver) {
      writer.log().flush();
      firstRowHandedOver = writer.rowsWritten() > 0;
    }
  }

  /** Offline, the Sender sees only what it needs to finish (§6.2); online, {@link SenderRecords}. */
  private boolean forwardsToSender(Record record) {
    return open.getOptions().getOffline()
        ? record.getControl().getAlwaysSend()
        : SenderRecords.forOnlineSender(record);
  }

  /**
   * Online, tells the FileStream how much of the log the OS has, when that grew (it reads only
   * what is there), and once the log is closed. A preempting record is handed over at once: the
   * server should hear it before the process is gone.
   */
  private void announceFlushed(boolean closed) {
    if (open.getOptions().getOffline()) {
      return;
    }
    long flushed = writer.log().flushedPosition();
    if (!closed && flushed == announcedFlushed) {
      return;
    }
    announcedFlushed = flushed;
    vertx
        .eventBus()
        .send(
            Addresses.fileStream(open.getRunId()),
            LogFlushed.newBuilder().setBytesFlushed(flushed).setClosed(closed).build(),
            Bus.protobuf());
  }

  /** A run finished before its metadata was read waits for it (git's timeout bounds that). */
  private void onFinish(Message<com.google.protobuf.Message> message, Record finish) {
    metadataWritten.onComplete(done -> finishNow(message, finish));
  }

  private void finishNow(Message<com.google.protobuf.Message> message, Record finish) {
    if (failure != null) {
      // the log broke earlier and the caller has heard why; the finish reports the same reason
      finished = true;
      closeQuietly();
      message.fail(Failures.INTERNAL, failure);
      return;
    }
    try {
      finishFiles();
    } catch (IOException e) {
      closeQuietly();
      fail(message, describe(e), e);
      return;
    }
    announceFlushed(true);
    vertx
        .eventBus()
        .<com.google.protobuf.Message>request(
            Addresses.sender(open.getRunId()), finish, Bus.finish(open.getOptions()))
        .onSuccess(
            reply -> {
              Result senderResult = (Result) reply.body();
              FinishResponse.Builder response =
                  senderResult.getResponse().getFinishResponse().toBuilder()
                      .setProgress(progress())
                      .setLogPath(directory.logFile().toString());
              message.reply(
                  Result.newBuilder()
                      .setResponse(Response.newBuilder().setFinishResponse(response))
                      .build(),
                  Bus.protobuf());
            })
        .onFailure(
            e ->
                message.fail(Failures.upstream(e), "sender did not finish: " + e.getMessage()));
  }

  private void finishFiles() throws IOException {
    finished = true;
    if (!Files.isRegularFile(directory.logFile())) {
      // written to a file no longer in any directory: reporting success would point at nothing
      throw new NoSuchFileException(
          directory.logFile().toString(),
          null,
          "the log was deleted while the run was open; what it held is lost");
    }
    LogWriter log = writer.log();
    if (open.getOptions().getFsync() == StreamOptions.FsyncPolicy.NONE) {
      log.flush();
    } else {
      log.sync();
    }
    log.close();
    outputLog(outputLog::close);
    writeConfigFile();
    if (writer.lastSummary() != null) {
      try {
        files.writeSummary(writer.lastSummary());
      } catch (IOException e) {
        warnFileBesideLog("wandb-summary.json", "; the summary is in the log", e);
      }
    }
  }

  private interface FileStep {
    void run() throws IOException;
  }

  /** output.log is a copy of the console records in the log: failing to write it is a warning. */
  private void outputLog(FileStep step) {
    try {
      step.run();
    } catch (IOException e) {
      if (!outputLogWarned) {
        outputLogWarned = true;
        warnFileBesideLog("output.log", "; the console output is in the log", e);
      }
    }
  }

  private void closeQuietly() {
    try {
      writer.log().close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing " + directory.logFile() + " after a failure", e);
    }
  }

  private void flushTick() {
    if (finished || failure != null) {
      return;
    }
    try {
      if (writer.recordsWritten() != lastFlushedRecords) {
        lastFlushedRecords = writer.recordsWritten();
        writer.log().flush();
        outputLog(outputLog::flush);
        syncAhead();
        announceFlushed(false);
      }
      StreamOptions options = open.getOptions();
      if (options.getFsync() == StreamOptions.FsyncPolicy.INTERVAL
          && System.nanoTime() - lastSync >= options.getFsyncIntervalMs() * 1_000_000L) {
        lastSync = System.nanoTime();
        writer.log().sync();
      }
    } catch (IOException e) {
      failure = describe(e);
      // the next batch or the finish fails with it, and the client says it on one line
      LOG.log(Level.FINE, failure, e);
      return;
    }
    if (writer.config().dirty()) {
      writeConfigFile();
    }
  }

  /**
   * {@code files/config.yaml} is a copy of what the log holds, so failing to write it is a warning
   * (once per run), never a reason to stop flushing the log; it is tried again when config changes
   * and at finish.
   */
  private void writeConfigFile() {
    try {
      files.writeConfig(writer.config(), writer.metrics(), wandbBlock());
    } catch (IOException e) {
      if (!configFileWarned) {
        configFileWarned = true;
        warnFileBesideLog("config.yaml", "; the config is in the log", e);
      }
    }
  }

  /**
   * A file beside the log that could not be written is only a warning, on one line: the log is the
   * record. Nothing is said when the run's directory itself is gone: the log's own failure says
   * that, once.
   */
  private void warnFileBesideLog(String name, String afterwards, IOException e) {
    boolean directoryGone = !Files.isDirectory(directory.runDir());
    LOG.log(
        directoryGone ? Level.FINE : Level.WARNING,
        "could not write "
            + directory.filesDir().resolve(name)
            + ": "
            + RunDirectory.reason(e, directory.filesDir())
            + afterwards);
  }

  /**
   * When the policy forces the log (at finish, or on an interval) and much was written since the
   * last force, forces it now on another thread: the device writes while the run goes on, and
   * finish() waits for about a second's worth instead of the whole run (at 1M rows, finish went
   * from 215 to about 100 ms; docs/benchmarks.md). Durability is what the policy says either way.
   */
  private void syncAhead() {
    LogWriter log = writer.log();
    long handedOver = log.flushedPosition();
    if (open.getOptions().getFsync() == StreamOptions.FsyncPolicy.NONE
        || syncingAhead
        || handedOver - syncedAhead < SYNC_AHEAD_BYTES) {
      return;
    }
    syncingAhead = true;
    syncedAhead = handedOver;
    vertx
        .executeBlocking(
            () -> {
              log.forceHandedOver();
              return null;
            },
            false)
        .onComplete(
            done -> {
              syncingAhead = false;
              if (done.failed() && !finished) {
                // the fsync at finish will meet the same trouble and report it
                LOG.log(Level.FINE, "forcing " + directory.logFile() + " ahead failed", done.cause());
              }
            });
  }

  /** requirements.txt first: the Sender uploads both once wandb-metadata.json is there. */
  private void writeMetadata(RunEnvironment environment) {
    StreamOptions options = open.getOptions();
    if (!environment.requirements().isEmpty()) {
      try {
        files.writeRequirements(environment.requirements());
      } catch (IOException e) {
        warnFileBesideLog("requirements.txt", "", e);
      }
    }
    try {
      Map<String, Object> metadata =
          RunMetadata.describe(
              options.getStartTime(),
              options.getProgram(),
              options.getArgsList(),
              Path.of(options.getRootDir()),
              options.getProducer());
      environment.git().ifPresent(git -> git.addTo(metadata, options.getProgram()));
      files.writeMetadata(metadata);
    } catch (IOException e) {
      warnFileBesideLog("wandb-metadata.json", "", e);
    }
  }

  private Map<String, Object> wandbBlock() {
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("runbus_version", open.getOptions().getProducer());
    block.put("java_version", System.getProperty("java.version"));
    block.put("start_time", open.getOptions().getStartTime());
    return block;
  }

  private void fail(Message<?> message, String description, Throwable e) {
    failure = description;
    // the caller hears of a disk's failure and says it on one line; only a bug gets a stack trace
    LOG.log(e instanceof IOException ? Level.FINE : Level.SEVERE, failure, e);
    message.fail(Failures.INTERNAL, failure);
  }

  private String describe(IOException e) {
    return "writing "
        + directory.logFile()
        + " failed: "
        + RunDirectory.reason(e, directory.logFile());
  }

  private PipelineProgress progress() {
    LogWriter log = writer.log();
    return PipelineProgress.newBuilder()
        .setRecordsWritten(writer.recordsWritten())
        .setBytesWritten(writer.bytesWritten())
        .setBytesFlushed(log.flushedPosition())
        .setLogSyncs(log.syncs())
        .setBytesSynced(log.syncedPosition())
        .build();
  }
}
