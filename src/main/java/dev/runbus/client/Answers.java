package dev.runbus.client;

import com.google.protobuf.Message;
import dev.runbus.RunbusException;
import dev.runbus.proto.Result;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for the answers to a run's requests. A request that fails is reported with the pipeline's
 * first failure, which is usually the cause of this one.
 */
final class Answers {

  /** How long init and the requests of finish may take before runbus gives up and says so. */
  static final long TIMEOUT_SECONDS = 120;

  private final String runId;
  private final PipelineFailure pipelineFailure;

  Answers(String runId, PipelineFailure pipelineFailure) {
    this.runId = runId;
    this.pipelineFailure = pipelineFailure;
  }

  /** Waits for a queued request's answer. */
  Result await(CompletableFuture<Message> answer, String what) {
    try {
      return (Result) answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw failed(what, e.getCause());
    } catch (TimeoutException e) {
      throw new RunbusException(
          "runbus: run " + runId + ": " + what + " got no answer in " + TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunbusException("runbus: interrupted while waiting for run " + runId);
    }
  }

  /** {@code what} failed because of {@code cause}, or of the pipeline's first failure if any. */
  RunbusException failed(String what, Throwable cause) {
    Throwable first = pipelineFailure.first() != null ? pipelineFailure.first() : cause;
    return new RunbusException(
        "runbus: run "
            + runId
            + ": "
            + what
            + " failed: "
            + PipelineFailure.describe(first),
        first);
  }
}
