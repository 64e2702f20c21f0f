package dev.runbus.sender;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Tries one request to the server until it passes (2xx), is refused ({@link ServerRefusal}: a
 * status {@link RetryPolicy#retryable} says no to), runs out of attempts, or the Sender stops
 * asking (a refusal elsewhere, or its undeploy). Between attempts it waits as the policy says,
 * honouring {@code Retry-After}; the waits are timers, never a blocked thread.
 */
final class RetryingRequests {

  /** Hears of each failed attempt, for the Sender's one "cannot reach" line. */
  interface FailedAttempts {
    void failed(int attempts, String reason);

    FailedAttempts NONE = (attempts, reason) -> {};
  }

  /** The Sender stopped asking: nothing more goes to the server. */
  static final class Abandoned extends RuntimeException {
    Abandoned(String what) {
      super(what + " abandoned: the Sender stopped sending");
    }
  }

  /** Attempts were used up while the server kept failing; the last reason. */
  static final class GaveUp extends RuntimeException {
    GaveUp(String reason) {
      super(reason);
    }
  }

  private final Vertx vertx;
  private final RetryPolicy policy;
  private final String server;
  private final BooleanSupplier stopped;

  RetryingRequests(Vertx vertx, RetryPolicy policy, String server, BooleanSupplier stopped) {
    this.vertx = vertx;
    this.policy = policy;
    this.server = server;
    this.stopped = stopped;
  }

  String server() {
    return server;
  }

  Future<HttpResponse<Buffer>> send(
      String what,
      int maxAttempts,
      Supplier<Future<HttpResponse<Buffer>>> attempt,
      FailedAttempts listener) {
    Promise<HttpResponse<Buffer>> result = Promise.promise();
    tryOnce(what, 0, maxAttempts, attempt, listener, result);
    return result.future();
  }

  private void tryOnce(
      String what,
      int failures,
      int maxAttempts,
      Supplier<Future<HttpResponse<Buffer>>> attempt,
      FailedAttempts listener,
      Promise<HttpResponse<Buffer>> result) {
    if (stopped.getAsBoolean()) {
      result.fail(new Abandoned(what));
      return;
    }
    Future<HttpResponse<Buffer>> sent;
    try {
      sent = attempt.get();
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(
        done -> {
          int status = done.succeeded() ? done.result().statusCode() : RetryPolicy.NO_RESPONSE;
          if (done.succeeded() && status >= 200 && status < 300) {
            result.complete(done.result());
            return;
          }
          if (done.succeeded() && !RetryPolicy.retryable(status)) {
            result.fail(new ServerRefusal(status, server, reasonOf(done.result())));
            return;
          }
          String reason =
              done.succeeded()
                  ? "HTTP " + status + " " + done.result().statusMessage()
                  : describe(done.cause());
          int failed = failures + 1;
          listener.failed(failed, reason);
          if (failed >= maxAttempts) {
            result.fail(new GaveUp(reason));
            return;
          }
          Optional<Duration> retryAfter =
              done.succeeded()
                  ? RetryPolicy.parseRetryAfter(
                      done.result().getHeader("Retry-After"), Clock.systemUTC())
                  : Optional.empty();
          long wait = Math.max(1, policy.delay(failures, retryAfter).toMillis());
          vertx.setTimer(
              wait, id -> tryOnce(what, failed, maxAttempts, attempt, listener, result));
        });
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /** What a refusing server said: GraphQL's first error message, its {@code error}, or the text. */
  static String reasonOf(HttpResponse<Buffer> response) {
    Buffer body = response.body();
    String status = response.statusMessage();
    if (body == null || body.length() == 0) {
      return status;
    }
    try {
      JsonObject json = body.toJsonObject();
      JsonArray errors = json.getJsonArray("errors");
      if (errors != null && !errors.isEmpty() && errors.getValue(0) instanceof JsonObject first) {
        return first.getString("message", status);
      }
      Object error = json.getValue("error");
      if (error != null) {
        return String.valueOf(error);
      }
    } catch (RuntimeException notJson) {
      // a plain-text answer: said as it is, shortened
    }
    String text = body.toString().strip();
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
