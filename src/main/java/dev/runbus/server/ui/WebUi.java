package dev.runbus.server.ui;

import dev.runbus.server.http.ApiKeyAuthProvider;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The web UI on the server's one port: its pages (the single-page app), sign-in and sessions, its
 * scripts and styles from {@code webui/} on the class path and the vendor libraries from their
 * WebJars. {@link #mount} goes before the server's HTTP Basic handler: pages, assets and sign-in
 * are answered here, and the read API and the live bridge accept a session as well as a key.
 */
public final class WebUi {

  /** The vendor files the page loads, by their path under {@code /ui/vendor/}. */
  static final Map<String, String> VENDOR =
      Map.of(
          "uplot/uPlot.iife.min.js", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
          "uplot/uPlot.min.css", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css",
          "sockjs/sockjs.min.js", "META-INF/resources/webjars/sockjs-client/1.6.1/dist/sockjs.min.js");

  /** Our modules change with the server: the browser revalidates them (a 304 when unchanged). */
  static final String REVALIDATE = "no-cache";
  /** A vendor file changes only with the server's version. */
  static final String LONG_CACHE = "public, max-age=604800";
  private static final long LOGIN_BODY_LIMIT = 8 * 1024;

  private final ClasspathAssets assets;
  private final UiSessions sessions;
  private final SessionUsers users;
  private final SignInHandlers signIn;

  /**
   * {@code publicBaseUrl}: the URL browsers reach the server at (its port known once it listens);
   * {@code secureCookie}: that URL is https, so the session cookie is Secure.
   */
  public WebUi(
      Vertx vertx, ApiKeyAuthProvider keys, Supplier<String> publicBaseUrl, boolean secureCookie) {
    this.assets = new ClasspathAssets(vertx);
    this.sessions = new UiSessions(vertx, secureCookie);
    this.users = new SessionUsers(sessions, keys);
    this.signIn = new SignInHandlers(vertx, assets, sessions, keys, publicBaseUrl);
  }

  public void mount(Router router) {
    Handler<RoutingContext> sessionAuth = new SessionAuthHandler(users);
    router.route("/api/v1/*").handler(sessionAuth);
    router.route("/ui/bus/*").handler(sessionAuth);

    router.get("/ui/vendor/:library/:file").handler(this::vendor);
    router
        .getWithRegex("/ui/([A-Za-z0-9_-]{1,64}\\.(?:js|css|svg))")
        .handler(rc -> assets.serve(rc, "webui/" + rc.pathParam("param0"), REVALIDATE));

    router.get("/login").handler(signIn::page);
    router
        .post("/login")
        .handler(BodyHandler.create(false).setBodyLimit(LOGIN_BODY_LIMIT))
        .handler(signIn::signIn);
    router.post("/logout").handler(signIn::signOut);

    router.get().handler(new PageHandler(users, assets));
  }

  private void vendor(RoutingContext rc) {
    String resource = VENDOR.get(rc.pathParam("library") + "/" + rc.pathParam("file"));
    if (resource == null) {
      rc.fail(404);
      return;
    }
    assets.serve(rc, resource, LONG_CACHE);
  }

  public void close() {
    sessions.close();
  }
}
