package dev.runbus.filestream;

import dev.runbus.log.LogFormat;
import dev.runbus.proto.FileStreamFinish;
import dev.runbus.proto.FileStreamProgress;
import dev.runbus.proto.FileStreamTarget;
import dev.runbus.sender.OnlineSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The FileStream's loop, on its verticle's event loop: reads the log ahead (off the loop) into the
 * next post while one post is in flight, posts a full post at once and a partial one at most every
 * transmit interval, a heartbeat when idle, and on finish drains the log to its closed end and
 * posts {@code complete}. After each acknowledgement it moves the synced-through mark. A refusal
 * ends it: nothing more is posted, and the log keeps everything for {@code runbus sync}.
 */
final class FileStreamPump {

  private static final Logger LOG = Logger.getLogger(FileStreamPump.class.getName());

  private final Vertx vertx;
  private final OnlineSetup setup;
  private final FileStreamSettings settings;
  private final FileStreamPoster poster;
  private final Consumer<FileStreamProgress> progressOut;

  private LogTail tail;
  private RecordConverter converter;
  private RequestBuilder builder;
  private SyncMark mark;
  private boolean targeted;
  private boolean started;
  private boolean filling;
  private boolean builderFull;
  private boolean caughtUp;
  private boolean logEnd;
  private boolean closed;
  private long flushed;
  private long logRead;
  private PostBody inFlight;
  private long lastPostNanos = System.nanoTime();
  private long heartbeatNanos;
  private final List<String> uploadedPending = new ArrayList<>();
  private boolean gaveUp;
  private boolean stopped;
  private String failure = "";
  private boolean complete;
  private boolean stopRequested;
  private Message<?> finishMessage;
  private FileStreamFinish finish;
  private boolean finishAnswered;
  private long retries;
  private long requestsAcknowledged;
  private Future<Void> markWrites = Future.succeededFuture();

  FileStreamPump(
      Vertx vertx,
      OnlineSetup setup,
      FileStreamSettings settings,
      FileStreamPoster poster,
      Consumer<FileStreamProgress> progressOut) {
    this.vertx = vertx;
    this.setup = setup;
    this.settings = settings;
    this.poster = poster;
    this.progressOut = progressOut;
    this.closed = setup.replay();
    this.heartbeatNanos = settings.heartbeat().toNanos();
  }

  void retried() {
    retries++;
  }

  /** Where to post; a mark of the same run and server resumes after what it acknowledged. */
  void onTarget(FileStreamTarget target) {
    if (targeted) {
      return;
    }
    targeted = true;
    String base = setup.server().baseUrl().toString();
    poster.target(target.getEntity(), target.getProject(), target.getRunName());
    vertx
        .executeBlocking(() -> SyncMark.read(setup.markFile()), false)
        .onComplete(
            ar -> {
              SyncMark previous = ar.succeeded() ? ar.result().orElse(null) : null;
              if (previous != null
                  && previous.sameRun(
                      base, target.getEntity(), target.getProject(), target.getRunName())) {
                mark = previous;
                complete = previous.complete();
                converter =
                    new RecordConverter(
                        previous.historyBase(),
                        previous.eventsBase(),
                        previous.consoleBase(),
                        previous.logOffset());
              } else {
                mark =
                    new SyncMark(
                        base,
                        target.getEntity(),
                        target.getProject(),
                        target.getRunName(),
                        LogFormat.FILE_HEADER_SIZE,
                        target.getHistoryLineOffset(),
                        target.getEventsLineOffset(),
                        target.getConsoleLineOffset(),
                        target.getHistoryLineOffset(),
                        target.getEventsLineOffset(),
                        target.getConsoleLineOffset(),
                        List.of(),
                        false);
                converter =
                    new RecordConverter(
                        target.getHistoryLineOffset(),
                        target.getEventsLineOffset(),
                        target.getConsoleLineOffset(),
                        0);
              }
              // from the start even when resuming: the summary and console need every record
              tail = new LogTail(setup.logFile(), LogFormat.FILE_HEADER_SIZE);
              builder = new RequestBuilder(settings.maxRequestBytes());
              started = true;
              pump();
            });
  }

  void onFlushed(long bytesFlushed, boolean logClosed) {
    flushed = Math.max(flushed, bytesFlushed);
    if (logClosed && !closed) {
      progressOut.accept(progress()); // finish's progress line shows the whole log from now on
    }
    closed |= logClosed;
    caughtUp = false;
    pump();
  }

  void onUploaded(List<String> paths) {
    uploadedPending.addAll(paths);
    pump();
  }

  void onFinish(Message<?> message, FileStreamFinish request) {
    if (finishMessage != null) {
      message.fail(409, "the FileStream is already finishing");
      return;
    }
    finishMessage = message;
    finish = request;
    pump();
  }

  /** The periodic tick: pacing, heartbeat, and a look at a log whose flushes were not told. */
  void tick() {
    if (!logEnd) {
      caughtUp = false;
    }
    pump();
  }

  void stop() {
    stopped = true;
    poster.close();
  }

  private void pump() {
    if (gaveUp) {
      answerFinish();
      return;
    }
    if (!started) {
      return;
    }
    startFillIfUseful();
    if (filling || inFlight != null) {
      return;
    }
    boolean draining = finishMessage != null && logEnd;
    // a closed log is the run's end: its tail goes at once, while the Sender still uploads files
    boolean tail = closed && logEnd;
    boolean something =
        builder.hasLines()
            || builder.isPreempting()
            || converter.summary().changed()
            || !uploadedPending.isEmpty();
    long sinceLast = System.nanoTime() - lastPostNanos;
    if (something) {
      if (builderFull
          || builder.isPreempting()
          || draining
          || tail
          || sinceLast >= settings.transmitInterval().toNanos()) {
        send(seal(null));
      }
      return;
    }
    if (draining) {
      if (finish.getComplete() && !complete) {
        send(seal(finish.getExitCode()));
      } else {
        answerFinish();
      }
      return;
    }
    if (sinceLast >= heartbeatNanos && !complete) {
      send(seal(null));
    }
  }

  private void startFillIfUseful() {
    if (filling || builderFull || logEnd || caughtUp) {
      return;
    }
    filling = true;
    boolean closedBefore = closed;
    vertx
        .executeBlocking(
            () -> tail.fill(converter, builder, closedBefore, settings.readBudgetBytes()), false)
        .onComplete(
            ar -> {
              filling = false;
              if (ar.failed()) {
                if (closedBefore) {
                  giveUp("cannot read the log " + setup.logFile() + ": " + ar.cause().getMessage());
                } else {
                  caughtUp = true; // not there yet (or not readable yet): the next tick looks again
                }
                pump();
                return;
              }
              logRead = tail.offset();
              switch (ar.result()) {
                case FULL -> builderFull = true;
                case CAUGHT_UP -> caughtUp = true;
                case END -> logEnd = true;
                case MORE -> {
                  // read on
                }
              }
              pump();
            });
  }

  private PostBody seal(Integer exitCode) {
    SummaryState summary = converter.summary();
    PostBody post =
        builder.seal(
            summary.changed() ? summary : null,
            uploadedPending,
            exitCode,
            converter.historyLines(),
            converter.eventsLines(),
            converter.consoleLine());
    summary.sent();
    uploadedPending.clear();
    builderFull = false;
    return post;
  }

  private void send(PostBody post) {
    inFlight = post;
    lastPostNanos = System.nanoTime();
    poster
        .post(post.body())
        .onComplete(
            ar -> {
              inFlight = null;
              if (ar.failed()) {
                giveUp(ar.cause().getMessage());
                return;
              }
              acknowledged(post, ar.result());
            });
    startFillIfUseful();
  }

  private void acknowledged(PostBody post, FileStreamPoster.Answer answer) {
    requestsAcknowledged++;
    if (answer.heartbeatSeconds() > 0) {
      heartbeatNanos = answer.heartbeatSeconds() * 1_000_000_000L;
    }
    stopRequested |= answer.stopped();
    complete |= post.complete();
    List<SyncMark.UploadedFile> uploaded = new ArrayList<>(mark.uploaded());
    for (String name : post.uploaded()) {
      uploaded.removeIf(f -> f.name().equals(name));
      uploaded.add(new SyncMark.UploadedFile(name, sizeOf(name)));
    }
    mark =
        new SyncMark(
            mark.baseUrl(),
            mark.entity(),
            mark.project(),
            mark.run(),
            Math.max(mark.logOffset(), post.logOffset()),
            mark.historyBase(),
            mark.eventsBase(),
            mark.consoleBase(),
            Math.max(mark.historyLines(), post.historyLines()),
            Math.max(mark.eventsLines(), post.eventsLines()),
            Math.max(mark.consoleLines(), post.consoleLine()),
            uploaded,
            complete);
    SyncMark toWrite = mark;
    boolean writeSynced = post.complete();
    markWrites =
        markWrites
            .transform(v -> vertx.executeBlocking(() -> writeMark(toWrite, writeSynced), false))
            .mapEmpty();
    progressOut.accept(progress());
    if (post.complete()) {
      markWrites.onComplete(v -> answerFinish());
      return;
    }
    pump();
  }

  private Void writeMark(SyncMark toWrite, boolean synced) throws IOException {
    try {
      toWrite.write(setup.markFile());
      if (synced) {
        Path marker = setup.syncedMarker();
        if (!Files.exists(marker)) {
          Files.createFile(marker);
        }
      }
    } catch (IOException e) {
      LOG.warning("cannot write the sync mark " + setup.markFile() + ": " + e.getMessage());
      throw e;
    }
    return null;
  }

  private long sizeOf(String name) {
    try {
      return Files.size(setup.filesDir().resolve(name));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private void giveUp(String why) {
    if (gaveUp || stopped) {
      return;
    }
    gaveUp = true;
    failure = why;
    poster.close();
    // the Sender tells the user, once, on one line; this is for the debug log
    LOG.fine(why + "; the run's data stays in " + setup.logFile() + " for runbus sync");
    progressOut.accept(progress());
    answerFinish();
  }

  private void answerFinish() {
    if (finishMessage == null || finishAnswered) {
      return;
    }
    finishAnswered = true;
    markWrites.onComplete(v -> finishMessage.reply(progress(), dev.runbus.bus.Bus.protobuf()));
  }

  FileStreamProgress progress() {
    return FileStreamProgress.newBuilder()
        .setLogBytesRead(logRead)
        .setLogBytesAcknowledged(mark == null ? 0 : mark.logOffset())
        .setLogBytesFlushed(flushed)
        .setHistoryLinesAcknowledged(mark == null ? 0 : mark.historyLines())
        .setRequestsAcknowledged(requestsAcknowledged)
        .setRetries(retries)
        .setGaveUp(gaveUp)
        .setFailure(failure == null ? "" : failure)
        .setComplete(complete)
        .setStopRequested(stopRequested)
        .build();
  }
}
