package dev.runbus.client;

import com.google.protobuf.Message;
import dev.runbus.RunResult;
import dev.runbus.RunbusException;
import dev.runbus.bus.Addresses;
import dev.runbus.kernel.Kernel;
import dev.runbus.proto.CloseStreamRequest;
import dev.runbus.proto.Control;
import dev.runbus.proto.FinishRequest;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.KernelRequest;
import dev.runbus.proto.PollExitRequest;
import dev.runbus.proto.PollExitResponse;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.Result;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.SampledHistoryRequest;
import dev.runbus.system.SystemPeaks;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a run finishes: the exit record goes last into the queue, the pipeline drains (with a
 * progress line once that takes more than a second), then the final summary and the sampled history
 * are fetched, and the result is returned and reported. The run's stream is closed whatever
 * happened. Finishing twice returns the same result, or throws the same failure again.
 */
final class RunFinish {

  /** How long finish() waits for the run's stream to be closed. */
  private static final long CLOSE_SECONDS = 10;

  private final PipelineRun run;
  private final RunClock clock;
  private final RunClient client;
  private final RowIntake intake;
  private final PipelineSummary summary;
  private final Answers answers;
  private final PipelineFailure pipelineFailure;
  private final PrintStream console;
  private final boolean quiet;
  private RunResult result;
  private RuntimeException finishFailure;

  RunFinish(
      PipelineRun run,
      RunClock clock,
      RunClient client,
      RowIntake intake,
      PipelineSummary summary,
      Answers answers,
      PipelineFailure pipelineFailure,
      PrintStream console,
      boolean quiet) {
    this.run = run;
    this.clock = clock;
    this.client = client;
    this.intake = intake;
    this.summary = summary;
    this.answers = answers;
    this.pipelineFailure = pipelineFailure;
    this.console = console;
    this.quiet = quiet;
  }

  synchronized RunResult finish(int exitCode) {
    if (result != null) {
      return result;
    }
    if (finishFailure != null) {
      // the pipeline is gone; trying again would only wait for an answer that cannot come
      throw new RunbusException(finishFailure.getMessage(), finishFailure);
    }
    PipelineRun.refuseEventLoop("finish()");
    OpenRuns.remove(run);
    try {
      SystemPeaks peaks = run.finishStats();
      run.stopConsole(); // its last lines go before the exit record
      intake.putLast(
          Record.newBuilder()
              .setExit(RunExitRecord.newBuilder().setExitCode(exitCode))
              .setControl(Control.newBuilder().setAlwaysSend(true))
              .build());
      FinishResponse finished = drain();
      int lost = client.unansweredBatches();
      if (lost > 0) {
        // the finish was answered after everything before it, so these answers will never come
        throw answers.failed(
            "finish",
            new IllegalStateException(
                "the pipeline never answered "
                    + lost
                    + (lost == 1 ? " batch" : " batches")
                    + " of records sent before the finish, so the log may be missing them"));
      }
      Map<String, Object> finalSummary = summary.fetch();
      Map<String, double[]> history = sampledHistory();
      if (pipelineFailure.first() != null) {
        throw answers.incomplete(pipelineFailure.first());
      }
      result =
          new RunResult(
              run.id(),
              run.mode(),
              exitCode,
              run.dirPath(),
              run.logPath(),
              clock.now() - clock.startSeconds,
              finished.getHistoryRows(),
              finished.getDroppedRows(),
              finished.getProgress().getRecordsWritten(),
              finished.getProgress().getBytesWritten(),
              finalSummary,
              history,
              finished.getSend().getRunUrl(),
              UploadOutcome.notUploaded(finished.getSend(), run.dirPath()),
              peaks,
              run.consoleLines());
    } catch (RuntimeException e) {
      // a pipeline that failed is the reason, whichever call noticed it first (once it failed,
      // the exit record's put throws at once, so finish does not wait for what cannot come)
      Throwable dead = client.dead();
      finishFailure = dead != null ? answers.incomplete(dead) : e;
      throw finishFailure;
    } finally {
      client.close();
      closeStream();
    }
    if (!quiet) {
      console.print(result.report());
      console.flush();
    } else if (!result.uploaded()) {
      // data left behind is worth a word even to a quiet run
      console.println("runbus: " + result.notUploaded().replace("\n", "\nrunbus: "));
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
    FinishProgress progress = new FinishProgress(console, quiet);
    long waitSeconds = Answers.TIMEOUT_SECONDS + run.finishWait().toSeconds();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
    while (true) {
      try {
        Result answer = (Result) finish.get(1, TimeUnit.SECONDS);
        progress.done();
        return answer.getResponse().getFinishResponse();
      } catch (TimeoutException stillDraining) {
        if (System.nanoTime() > deadline) {
          throw new RunbusException(
              "runbus: run "
                  + run.id()
                  + " did not finish in "
                  + waitSeconds
                  + " s; what was written is in "
                  + run.logPath());
        }
        PollExitResponse poll = pollExit();
        if (poll != null) {
          progress.show(poll, client.queued());
        }
      } catch (ExecutionException e) {
        throw answers.failed("finish", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RunbusException("runbus: interrupted while finishing run " + run.id());
      }
    }
  }

  private PollExitResponse pollExit() {
    try {
      Result answer =
          (Result)
              client
                  .toPipeline(
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

  /** An evenly spaced sample of each metric's history, for the report's sparklines. */
  private Map<String, double[]> sampledHistory() {
    return SampledHistory.toMap(
        answers
            .await(
                client.request(
                    Record.newBuilder()
                        .setRequest(
                            Request.newBuilder()
                                .setSampledHistory(SampledHistoryRequest.getDefaultInstance()))
                        .build()),
                "finish")
            .getResponse()
            .getSampledHistoryResponse());
  }

  /**
   * Undeploys the run's verticles; the run's id is free again once they are gone, so that a run
   * started again with it cannot reach the kernel before the old stream is closed. finish() waits
   * for the undeployment (a few seconds at most) in two cases. After a failure, since the Writer may
   * still hold rows in its buffer and closing the log hands them to the OS. And in an application's
   * own Vert.x, which the application may close right after finish() returns: that would race this
   * undeployment, and Vert.x would log "Already undeployed". runbus's private instance is never
   * closed that way, and there the wait would cost finish() about 15 ms.
   */
  private void closeStream() {
    if (run.attached() != null) {
      closeRank();
      return;
    }
    CompletableFuture<Message> closed = requestClose();
    OpenRuns.releaseWhenClosed(run.id(), closed);
    Vertx vertx = client.pipelineVertx();
    if (client.dead() == null && (vertx == null || Kernel.isPrivateInstance(vertx))) {
      return;
    }
    try {
      closed.get(CLOSE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // the stream never opened or its Vert.x instance is gone: there is nothing left to close
    }
  }

  /**
   * An attached rank is done: it tells the coordinator (the primary's close ends the run's stream
   * on the service at once, rather than after its grace), and once that is answered (or a few
   * seconds passed) lets go of its cluster node, which the last rank of the JVM leaves.
   */
  private void closeRank() {
    OpenRuns.release(run.reservation());
    CompletableFuture<Message> closed =
        client.dead() != null
            ? CompletableFuture.completedFuture(null)
            : client.toPipeline(CloseStreamRequest.newBuilder().setRunId(run.id()).build());
    try {
      closed.get(CLOSE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // the service is gone or closed the run itself: nothing is left to close
    } finally {
      run.finished();
    }
  }

  /** Asks the kernel to undeploy the run's verticles; completes with its answer. */
  private CompletableFuture<Message> requestClose() {
    return client.direct(
        Addresses.KERNEL_RUNS,
        KernelRequest.newBuilder()
            .setCloseStream(CloseStreamRequest.newBuilder().setRunId(run.id()))
            .build());
  }
}
