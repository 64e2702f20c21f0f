package dev.runbus.server.ui;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.LocalSessionStore;
import java.time.Duration;
import java.util.UUID;

/**
 * The web UI's sign-in sessions: server-side, in memory (vertx-web's {@link LocalSessionStore}),
 * named by the {@value #COOKIE} cookie (HttpOnly, SameSite=Strict, Secure behind TLS). A session
 * holds only the SHA-256 of the API key it was opened with, never the key nor a user: each request
 * re-checks that digest, so a revoked key ends its sessions. vertx-web's SessionHandler is not
 * used: it links the request's user into the session and restores it on later requests, which
 * would skip that re-check (and let a Basic request's user stick to a cookie).
 */
public final class UiSessions {

  public static final String COOKIE = "runbus_session";
  public static final Duration IDLE_TIMEOUT = Duration.ofHours(12);
  /** Sessions are opened only with a valid key; the cap still bounds memory if a key is abused. */
  static final int MAX_SESSIONS = 10_000;

  private static final String KEY_SHA256 = "keySha256";
  private static final long REAPER_MILLIS = 60_000;

  /** A live session: its id and its key's digest. */
  public record SignedIn(String sessionId, String keySha256) {}

  /** More sessions than {@link #MAX_SESSIONS}: sign-in is refused until some expire. */
  public static final class TooManySessions extends RuntimeException {
    TooManySessions() {
      super("too many open sessions");
    }
  }

  private final LocalSessionStore store;
  private final boolean secureCookie;

  public UiSessions(Vertx vertx, boolean secureCookie) {
    // a map of its own: two servers in one Vert.x instance must not share sign-ins
    this.store =
        LocalSessionStore.create(vertx, "runbus.ui.sessions." + UUID.randomUUID(), REAPER_MILLIS);
    this.secureCookie = secureCookie;
  }

  /** The request's live session, or null. Touches it, so that idle time restarts. */
  public Future<SignedIn> find(RoutingContext rc) {
    Cookie cookie = rc.request().getCookie(COOKIE);
    if (cookie == null || cookie.getValue().isEmpty() || cookie.getValue().length() > 256) {
      return Future.succeededFuture();
    }
    return store
        .get(cookie.getValue())
        .compose(
            session -> {
              if (session == null || session.<String>get(KEY_SHA256) == null) {
                return Future.succeededFuture();
              }
              SignedIn signedIn = new SignedIn(session.id(), session.get(KEY_SHA256));
              session.setAccessed();
              // two requests at once may both touch it: one losing the version check is harmless
              return store.put(session).<SignedIn>map(v -> signedIn).otherwise(signedIn);
            });
  }

  /**
   * A new session for the key with this digest, its cookie set on the response. A session the
   * request came with is ended first: a new id at every sign-in (no session fixation).
   */
  public Future<Void> start(RoutingContext rc, String keySha256) {
    Cookie old = rc.request().getCookie(COOKIE);
    Future<Void> ended = old == null ? Future.succeededFuture() : store.delete(old.getValue());
    return ended
        .compose(v -> store.size())
        .compose(
            open -> {
              if (open >= MAX_SESSIONS) {
                return Future.failedFuture(new TooManySessions());
              }
              Session session = store.createSession(IDLE_TIMEOUT.toMillis());
              session.put(KEY_SHA256, keySha256);
              return store.put(session).map(session.id());
            })
        .map(
            id -> {
              // a browser-session cookie: the server's idle timeout decides how long it is good for
              rc.response().addCookie(cookie(id));
              return null;
            });
  }

  /** Ends the request's session, if any, and tells the browser to drop the cookie. */
  public Future<Void> end(RoutingContext rc) {
    Cookie cookie = rc.request().getCookie(COOKIE);
    rc.response().addCookie(cookie("").setMaxAge(0));
    return cookie == null ? Future.succeededFuture() : store.delete(cookie.getValue());
  }

  /** Ends a session whose key no longer signs in. */
  public Future<Void> forget(String sessionId) {
    return store.delete(sessionId);
  }

  private Cookie cookie(String value) {
    return Cookie.cookie(COOKIE, value)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT)
        .setSecure(secureCookie);
  }

  public void close() {
    store.close();
  }
}
