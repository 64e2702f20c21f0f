package dev.runbus.server.http;

import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.NotFoundException;
import dev.runbus.server.store.OffsetGapException;
import dev.runbus.server.store.StoreException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every failed request's answer: {@code {"error": "..."}} with a status that says whose problem it
 * is. The store's refusals carry messages meant for the client; anything else is a bug or an outage
 * and gets 500 with no exception or SQL text (it is logged here instead).
 */
public final class ErrorResponses implements Handler<RoutingContext> {

  private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());

  private final long maxBodyBytes;

  public ErrorResponses(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerResponse response = rc.response();
    if (response.ended() || response.closed()) {
      return;
    }
    Throwable failure = rc.failure();
    JsonObject body = new JsonObject();
    int status;
    if (failure instanceof OffsetGapException gap) {
      status = 409;
      body.put("error", gap.getMessage())
          .put("expected", new JsonObject().put(gap.file(), gap.expected()));
    } else if (failure instanceof NotFoundException) {
      status = 404;
      body.put("error", failure.getMessage());
    } else if (failure instanceof BadInputException) {
      status = 400;
      body.put("error", failure.getMessage());
    } else if (failure instanceof StoreException) {
      status = 409;
      body.put("error", failure.getMessage());
    } else if (failure instanceof HttpException http && unavailable(http)) {
      // the key lookup failed, not the key: the auth handler calls every failure 401
      status = 503;
      response.headers().remove("WWW-Authenticate");
      body.put("error", describe(503));
      LOG.log(Level.WARNING, "key lookup failed", http.getCause());
    } else if (failure instanceof HttpException http) {
      status = http.getStatusCode();
      body.put("error", describe(status));
    } else if (failure == null) {
      status = rc.statusCode() > 0 ? rc.statusCode() : 500;
      body.put("error", describe(status));
    } else {
      status = 500;
      body.put("error", describe(500));
      LOG.log(Level.WARNING, "request failed: " + rc.request().method() + " " + rc.request().path(), failure);
    }
    if (status == 401 && "1".equals(rc.request().getHeader("X-Runbus-UI"))) {
      // the web UI's fetch: no Basic dialog in the browser, the UI goes to its login page instead
      response.headers().remove("WWW-Authenticate");
    }
    if (status == 413 || status == 429) {
      // the client may still be sending a body the server will not read
      response.putHeader("Connection", "close");
    }
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  private static boolean unavailable(HttpException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException h && h.getStatusCode() == 503) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private String describe(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 401 -> "missing or invalid API key (HTTP Basic, user 'api', the key as password)";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request body larger than this server accepts (" + maxBodyBytes + " bytes)";
      case 415 -> "unsupported content type";
      case 429 -> "server busy, retry later";
      case 503 -> "service unavailable";
      default -> status >= 500 ? "internal error" : "request refused";
    };
  }
}
