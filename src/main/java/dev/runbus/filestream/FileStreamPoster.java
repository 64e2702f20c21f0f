package dev.runbus.filestream;

import dev.runbus.sender.RetryPolicy;
import dev.runbus.sender.ServerCredentials;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Posts one FileStream body until the server acknowledges it: a 429, a 5xx, a timeout or a dropped
 * connection is tried again after {@link RetryPolicy}'s wait ({@code Retry-After} honoured) with
 * the same bytes, so the same offsets, which the server stores once; a refusal (400, 401, 403, 404,
 * 409, 410...) fails the post with {@link Refused}. Event-loop code; one post at a time.
 */
final class FileStreamPoster {

  /** The server's answer to an acknowledged post. */
  record Answer(int heartbeatSeconds, boolean stopped) {}

  /** The server refused the post; trying again cannot help. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private final Vertx vertx;
  private final WebClient client;
  private final ServerCredentials server;
  private final FileStreamSettings settings;
  private final Runnable onRetry;
  private String url;
  private boolean closed;

  FileStreamPoster(
      Vertx vertx,
      WebClient client,
      ServerCredentials server,
      FileStreamSettings settings,
      Runnable onRetry) {
    this.vertx = vertx;
    this.client = client;
    this.server = server;
    this.settings = settings;
    this.onRetry = onRetry;
  }

  /** Where the run's FileStream is: {@code {base}/files/{entity}/{project}/{run}/file_stream}. */
  void target(String entity, String project, String run) {
    String base = server.baseUrl().toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    url = base + "/files/" + segment(entity) + "/" + segment(project) + "/" + segment(run)
        + "/file_stream";
  }

  String url() {
    return url;
  }

  /** Stops retrying: a pending post fails. */
  void close() {
    closed = true;
  }

  Future<Answer> post(Buffer body) {
    Promise<Answer> done = Promise.promise();
    attempt(body, 0, done);
    return done.future();
  }

  private void attempt(Buffer body, int attempt, Promise<Answer> done) {
    if (closed) {
      done.fail(new IllegalStateException("the FileStream was stopped"));
      return;
    }
    client
        .postAbs(url)
        .putHeader("Authorization", server.authorization())
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "runbus")
        .timeout(settings.postTimeout().toMillis())
        .sendBuffer(body)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                retry(body, attempt, Optional.empty(), done);
                return;
              }
              HttpResponse<Buffer> response = ar.result();
              int status = response.statusCode();
              if (status >= 200 && status < 300) {
                done.complete(answer(response));
              } else if (RetryPolicy.retryable(status)) {
                retry(
                    body,
                    attempt,
                    RetryPolicy.parseRetryAfter(
                        response.getHeader("Retry-After"), Clock.systemUTC()),
                    done);
              } else {
                done.fail(new Refused(status, refusal(status, response)));
              }
            });
  }

  private void retry(
      Buffer body, int attempt, Optional<Duration> retryAfter, Promise<Answer> done) {
    if (closed) {
      done.fail(new IllegalStateException("the FileStream was stopped"));
      return;
    }
    onRetry.run();
    long wait = Math.max(1, settings.retry().delay(attempt, retryAfter).toMillis());
    vertx.setTimer(wait, id -> attempt(body, attempt + 1, done));
  }

  private static Answer answer(HttpResponse<Buffer> response) {
    try {
      JsonObject json = response.bodyAsJsonObject();
      if (json == null) {
        return new Answer(0, false);
      }
      JsonObject limits = json.getJsonObject("limits");
      Number heartbeat = limits == null ? null : limits.getNumber("heartbeat_seconds");
      return new Answer(
          heartbeat == null ? 0 : heartbeat.intValue(), Boolean.TRUE.equals(json.getValue("stopped")));
    } catch (RuntimeException notJson) {
      return new Answer(0, false); // acknowledged all the same: W&B's mock answers text/html
    }
  }

  private static String refusal(int status, HttpResponse<Buffer> response) {
    String text = response.bodyAsString();
    text = text == null ? "" : text.strip().replaceAll("\\s+", " ");
    if (text.length() > 200) {
      text = text.substring(0, 200) + "...";
    }
    return "the server refused the run's FileStream post with HTTP "
        + status
        + (text.isEmpty() ? "" : " (" + text + ")");
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
