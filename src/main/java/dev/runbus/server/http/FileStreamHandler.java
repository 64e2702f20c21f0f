package dev.runbus.server.http;

import dev.runbus.server.Viewer;
import dev.runbus.server.store.FileStreams;
import dev.runbus.server.store.RunKey;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /files/{entity}/{project}/{run}/file_stream}: admission against the in-flight bound
 * before the body is read, then parsing and storing on a database worker, and 200 only once the
 * store has committed. The answer is W&B's: {@code {"exitcode": null, "limits": {...}}}, with
 * {@code "stopped": true} once the run was asked to stop.
 */
public final class FileStreamHandler {

  private static final String PERMIT = "runbus.filestream.permit";
  /** W&B's own default; its 0.16 client paces its posts by this (a post every hb/15 to hb s). */
  static final int HEARTBEAT_SECONDS = 30;
  /** Told to 0.16 clients while the server is busy: posts 4 times as far apart. */
  static final int BUSY_HEARTBEAT_SECONDS = 120;
  static final int RETRY_AFTER_SECONDS = 2;

  private final FileStreams streams;
  private final WorkerExecutor db;
  private final InFlightLimiter limiter;
  private final long maxBodyBytes;

  public FileStreamHandler(
      FileStreams streams, WorkerExecutor db, InFlightLimiter limiter, long maxBodyBytes) {
    this.streams = streams;
    this.db = db;
    this.limiter = limiter;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Runs before the body handler: a post the server has no room for is refused unread. */
  public Handler<RoutingContext> admission() {
    return rc -> {
      InFlightLimiter.Permit permit = limiter.tryAcquire(reserveFor(rc.request()));
      if (permit == null) {
        rc.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        rc.fail(429);
        return;
      }
      rc.put(PERMIT, permit);
      rc.addEndHandler(done -> permit.release());
      rc.next();
    };
  }

  /** Runs after the body handler. */
  public Handler<RoutingContext> ingest() {
    return rc -> {
      Buffer body = rc.body().buffer();
      Buffer bytes = body == null ? Buffer.buffer() : body;
      InFlightLimiter.Permit permit = rc.get(PERMIT);
      permit.shrinkTo(bytes.length());
      RunKey run =
          new RunKey(rc.pathParam("entity"), rc.pathParam("project"), rc.pathParam("run"));
      dev.runbus.server.store.User viewer = Viewer.of(rc);
      db.executeBlocking(
              () ->
                  streams.apply(
                      viewer,
                      run,
                      FileStreamRequests.parse(new BufferInputStream(bytes), bytes.length())),
              false)
          .onSuccess(applied -> answer(rc, applied.stopRequested()))
          .onFailure(rc::fail);
    };
  }

  private void answer(RoutingContext rc, boolean stopped) {
    JsonObject limits =
        new JsonObject()
            .put("heartbeat_seconds", limiter.busy() ? BUSY_HEARTBEAT_SECONDS : HEARTBEAT_SECONDS);
    JsonObject answer = new JsonObject().putNull("exitcode").put("limits", limits);
    if (stopped) {
      answer.put("stopped", true);
    }
    rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(answer.encode());
  }

  /**
   * The declared length when it is the length that will be read; the largest allowed body when the
   * body is chunked or compressed (a gzip body inflates to an unknown size, up to that limit).
   */
  private long reserveFor(HttpServerRequest request) {
    String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && (encoding == null || encoding.equalsIgnoreCase("identity"))) {
      try {
        return Math.min(Math.max(0, Long.parseLong(length.trim())), maxBodyBytes);
      } catch (NumberFormatException e) {
        return maxBodyBytes;
      }
    }
    return maxBodyBytes;
  }
}
