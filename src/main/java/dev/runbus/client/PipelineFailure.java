package dev.runbus.client;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The first thing that went wrong in a run's pipeline, said on the console once, when it happens;
 * later failures are usually its consequences.
 */
final class PipelineFailure {

  private final String runId;
  private final PrintStream console;
  /** Set once: the pump's failure callback and finish() may report failures at the same moment. */
  private final AtomicReference<Throwable> first = new AtomicReference<>();

  PipelineFailure(String runId, PrintStream console) {
    this.runId = runId;
    this.console = console;
  }

  /** Keeps and prints {@code e} if it is the first failure. */
  void record(Throwable e) {
    if (first.compareAndSet(null, e)) {
      console.println("runbus: ERROR run " + runId + ": " + describe(e));
    }
  }

  /** Whether {@code e} reports the failure already said on the console. */
  boolean alreadySaid(Throwable e) {
    Throwable said = first.get();
    return said != null && (e == said || e.getCause() == said);
  }

  /** The first failure, or null while there was none. */
  Throwable first() {
    return first.get();
  }

  /** A failure in words: what a reply failure means for the run, else the exception's message. */
  static String describe(Throwable e) {
    if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return "the run's pipeline is gone (was the Vert.x instance it ran in closed before the run"
          + " finished?)";
    }
    if (e instanceof ReplyException reply && reply.getMessage() != null) {
      return reply.getMessage();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
