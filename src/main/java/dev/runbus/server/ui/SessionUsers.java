package dev.runbus.server.ui;

import dev.runbus.server.http.ApiKeyAuthProvider;
import io.vertx.core.Future;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * The user a request's session stands for, its key re-checked through the key provider's cache
 * on every request: a session whose key was revoked ends there.
 */
final class SessionUsers {

  private final UiSessions sessions;
  private final ApiKeyAuthProvider keys;

  SessionUsers(UiSessions sessions, ApiKeyAuthProvider keys) {
    this.sessions = sessions;
    this.keys = keys;
  }

  /** The signed-in user, or null (no session, or its key no longer valid). */
  Future<User> userOf(RoutingContext rc) {
    return sessions
        .find(rc)
        .compose(
            signedIn -> {
              if (signedIn == null) {
                return Future.succeededFuture();
              }
              return keys
                  .authenticateDigest(signedIn.keySha256())
                  .recover(
                      e -> {
                        if (e instanceof HttpException) {
                          // the database failed, not the key: keep the session, answer 503
                          return Future.failedFuture(e);
                        }
                        return sessions.forget(signedIn.sessionId()).map(v -> (User) null);
                      });
            });
  }
}
