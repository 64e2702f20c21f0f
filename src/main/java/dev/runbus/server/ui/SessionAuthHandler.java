package dev.runbus.server.ui;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.SimpleAuthenticationHandler;

/**
 * In front of the read API and the live bridge: a request with a live session is authenticated as
 * its key's user (and refused with 403 when it changes something without the UI's header); any
 * other request goes on to HTTP Basic unchanged, as W&B's clients and scripts send it.
 */
final class SessionAuthHandler implements Handler<RoutingContext> {

  private static final String FOUND = "runbus.ui.sessionUser";

  private final SessionUsers users;
  /** vertx-web's way to set a request's user: it hands over the user found here. */
  private final SimpleAuthenticationHandler signIn =
      SimpleAuthenticationHandler.create().authenticate(rc -> Future.succeededFuture(rc.get(FOUND)));

  SessionAuthHandler(SessionUsers users) {
    this.users = users;
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    if (request.headers().contains(HttpHeaders.AUTHORIZATION) || rc.user() != null) {
      rc.next();
      return;
    }
    // the lookup may hop to a worker: hold the body (the bridge's POSTs) until it is done
    boolean ended = request.isEnded();
    if (!ended) {
      request.pause();
    }
    users
        .userOf(rc)
        .onComplete(
            found -> {
              if (!ended && !isWebSocketUpgrade(request)) {
                request.resume();
              }
              if (found.failed()) {
                rc.fail(found.cause());
              } else if (found.result() == null) {
                rc.next();
              } else if (UiRequests.refusedWithoutHeader(
                  request.method(), request.path(), request.getHeader(UiRequests.HEADER))) {
                rc.fail(new HttpException(403));
              } else {
                User user = found.result();
                rc.put(FOUND, user);
                signIn.handle(rc);
              }
            });
  }

  private static boolean isWebSocketUpgrade(HttpServerRequest request) {
    return request.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true);
  }
}
