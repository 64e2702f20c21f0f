package dev.runbus.client;

import com.google.protobuf.Message;
import dev.runbus.RunbusException;
import dev.runbus.proto.Result;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for the answers to a run's requests, and says why a run could not do what was asked: the
 * pipeline's first failure, which is usually the cause of the one at hand, and where the log is.
 */
final class Answers {

  /** How long init and the requests of finish may take before runbus gives up and says so. */
  static final long TIMEOUT_SECONDS = 120;

  private final String runId;
  private final Path logFile;
  private final PipelineFailure pipelineFailure;

  Answers(String runId, Path logFile, PipelineFailure pipelineFailure) {
    this.runId = runId;
    this.logFile = logFile;
    this.pipelineFailure = pipelineFailure;
  }

  /**
   * Waits for a queued request's answer.
   *
   * @param what what the run could not do if there is no answer, e.g. "finish"
   */
  Result await(CompletableFuture<Message> answer, String what) {
    try {
      return (Result) answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw failed(what, e.getCause());
    } catch (TimeoutException e) {
      throw new RunbusException(
          "runbus: run "
              + runId
              + " could not "
              + what
              + ": no answer in "
              + TIMEOUT_SECONDS
              + " s; what was written is in "
              + logFile);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunbusException("runbus: interrupted while waiting for run " + runId);
    }
  }

  /**
   * The run could not do {@code what} because its pipeline failed: with {@code cause}, said on the
   * console if it is the first failure, or with an earlier one, of which this is a consequence.
   */
  RunbusException failed(String what, Throwable cause) {
    pipelineFailure.record(cause);
    Throwable first = pipelineFailure.first();
    return new RunbusException(
        "runbus: run " + runId + " could not " + what + ": " + withLog(first), first);
  }

  /**
   * The run finished, but its pipeline had failed before, with {@code why} or an earlier failure:
   * the log holds what came before. {@code why} is recorded here too, since the thread that failed
   * may not have said it yet.
   */
  RunbusException incomplete(Throwable why) {
    pipelineFailure.record(why);
    Throwable first = pipelineFailure.first();
    return new RunbusException("runbus: run " + runId + " is incomplete: " + withLog(first), first);
  }

  /**
   * The failure in words, and where what was written is, unless the words already say it or
   * nothing was written (the stream never opened, and a file at that path is not the run's).
   */
  private String withLog(Throwable failure) {
    String description = PipelineFailure.describe(failure);
    return failure instanceof StreamNotOpened || description.contains(logFile.toString())
        ? description
        : description + "; what was written before that is in " + logFile;
  }
}
