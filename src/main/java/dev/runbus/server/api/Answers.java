package dev.runbus.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.NotFoundException;
import dev.runbus.server.store.StoreException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The read API's answers: JSON bodies, and one mapping from failures to statuses. A refusal says
 * why; an unknown run and another entity's run get the same 404; anything else is a 500 whose
 * cause stays in the server's log, never in the answer.
 */
final class Answers {
  private static final Logger LOG = Logger.getLogger(Answers.class.getName());
  static final String JSON = "application/json";

  private Answers() {}

  /** Writes a JSON body with {@code body}. */
  @FunctionalInterface
  interface JsonBody {
    void write(JsonGenerator g) throws IOException;
  }

  static Buffer render(JsonBody body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FiniteJson.generator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new IllegalStateException("JSON rendering failed", e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  /** {@code {"<field>": [strings...]}}. */
  static Buffer renderStrings(String field, List<String> strings) {
    return render(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart(field);
          for (String s : strings) {
            g.writeString(s);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  static void json(RoutingContext rc, Buffer body) {
    if (rc.response().ended()) {
      return;
    }
    rc.response().putHeader("Content-Type", JSON).end(body);
  }

  static void fail(RoutingContext rc, Throwable failure) {
    HttpServerResponse response = rc.response();
    if (response.ended()) {
      return;
    }
    if (response.headWritten()) {
      // a stream broke after its head went out: cut the connection, so that the client sees an
      // incomplete answer rather than a short one that looks whole
      LOG.log(Level.WARNING, "read API stream failed: " + rc.request().path(), failure);
      response.reset();
      return;
    }
    int status;
    String message;
    if (failure instanceof NotFoundException) {
      // one body for every 404, so that another entity's run answers exactly as a missing one
      status = 404;
      message = "not found";
    } else if (failure instanceof BadInputException || failure instanceof StoreException) {
      status = 400;
      message = failure.getMessage();
    } else if (failure instanceof HttpException h && h.getStatusCode() < 500) {
      status = h.getStatusCode();
      message = h.getPayload() != null ? h.getPayload() : reason(status);
    } else {
      LOG.log(Level.SEVERE, "read API request failed: " + rc.request().path(), failure);
      status = 500;
      message = "internal error";
    }
    error(rc, status, message);
  }

  static void error(RoutingContext rc, int status, String message) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", JSON)
        .end(render(g -> {
          g.writeStartObject();
          g.writeStringField("error", message);
          g.writeEndObject();
        }));
  }

  /** For the routes' failure handlers: validation failures (400) and failed handlers. */
  static Handler<RoutingContext> failureHandler() {
    return rc -> {
      if (rc.failure() != null) {
        fail(rc, rc.failure());
      } else {
        error(rc, rc.statusCode(), reason(rc.statusCode()));
      }
    };
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      default -> "request failed";
    };
  }
}
