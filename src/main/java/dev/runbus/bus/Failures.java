package dev.runbus.bus;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The failure codes runbus consumers answer with ({@code message.fail(code, text)}). */
public final class Failures {

  /** The record or request is malformed or not allowed now. */
  public static final int BAD_RECORD = 400;

  /** A remote client gave no token, or the wrong one. */
  public static final int UNAUTHENTICATED = 401;

  /** No run with that id is open in this kernel. */
  public static final int NO_SUCH_RUN = 404;

  /** A run with that id is already open in this kernel. */
  public static final int RUN_EXISTS = 409;

  /** A remote client asked for more than the service gives (too many ranks, too big a batch). */
  public static final int RESOURCE_EXHAUSTED = 429;

  /** Something failed inside a stage (disk full, I/O error). */
  public static final int INTERNAL = 500;

  /** A stage behind this one did not answer in time. */
  public static final int UPSTREAM_TIMEOUT = 504;

  private static final Logger LOG = Logger.getLogger(Failures.class.getName());

  private Failures() {}

  /**
   * {@code consumer}, answering every message it throws on, Errors included, with {@link
   * #INTERNAL} and {@code stage: <the throwable>}: a throwable escaping a consumer would leave the
   * sender waiting for an answer that never comes, and the records it carried lost with nobody
   * told.
   */
  public static <T> Handler<Message<T>> answered(String stage, Handler<Message<T>> consumer) {
    return message -> {
      try {
        consumer.handle(message);
      } catch (RuntimeException | Error e) {
        LOG.log(Level.SEVERE, stage + " failed on a message to " + message.address(), e);
        message.fail(INTERNAL, stage + ": " + e);
      }
    };
  }

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
