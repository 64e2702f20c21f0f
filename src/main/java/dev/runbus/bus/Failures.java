package dev.runbus.bus;

import io.vertx.core.eventbus.ReplyException;

/** The failure codes runbus consumers answer with ({@code message.fail(code, text)}). */
public final class Failures {

  /** The record or request is malformed or not allowed now. */
  public static final int BAD_RECORD = 400;

  /** No run with that id is open in this kernel. */
  public static final int NO_SUCH_RUN = 404;

  /** A run with that id is already open in this kernel. */
  public static final int RUN_EXISTS = 409;

  /** Something failed inside a stage (disk full, I/O error). */
  public static final int INTERNAL = 500;

  /** A stage behind this one did not answer in time. */
  public static final int UPSTREAM_TIMEOUT = 504;

  private Failures() {}

  /**
   * The code to answer with when a stage behind this one failed: its own code if it answered with
   * one, {@link #UPSTREAM_TIMEOUT} if it did not answer in time, {@link #INTERNAL} otherwise.
   */
  public static int upstream(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case RECIPIENT_FAILURE -> reply.failureCode();
        case TIMEOUT -> UPSTREAM_TIMEOUT;
        default -> INTERNAL;
      };
    }
    return INTERNAL;
  }
}
