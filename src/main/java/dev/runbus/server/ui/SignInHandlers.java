package dev.runbus.server.ui;

import dev.runbus.server.http.ApiKeyAuthProvider;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /login} (the form), {@code POST /login} (an API key opens a session) and
 * {@code POST /logout}. A wrong key is answered only after {@value #WRONG_KEY_DELAY_MILLIS} ms (a
 * timer, the event loop stays free), which slows a guesser down without holding a thread.
 */
final class SignInHandlers {

  static final long WRONG_KEY_DELAY_MILLIS = 300;
  static final String TEMPLATE = "webui/login.html";

  private final Vertx vertx;
  private final ClasspathAssets assets;
  private final UiSessions sessions;
  private final ApiKeyAuthProvider keys;
  private final Supplier<String> publicBaseUrl;

  SignInHandlers(
      Vertx vertx,
      ClasspathAssets assets,
      UiSessions sessions,
      ApiKeyAuthProvider keys,
      Supplier<String> publicBaseUrl) {
    this.vertx = vertx;
    this.publicBaseUrl = publicBaseUrl;
    this.assets = assets;
    this.sessions = sessions;
    this.keys = keys;
  }

  void page(RoutingContext rc) {
    boolean wrongKey = "1".equals(rc.request().getParam("error"));
    String next = rc.request().getParam("next");
    assets
        .get(TEMPLATE)
        .onSuccess(
            template -> {
              String html = LoginPage.render(template.bytes().toString(StandardCharsets.UTF_8), wrongKey, next);
              SecurityHeaders.page(rc.response())
                  .putHeader("Cache-Control", "no-store")
                  .putHeader("Content-Type", "text/html; charset=utf-8")
                  .end(html);
            })
        .onFailure(rc::fail);
  }

  void signIn(RoutingContext rc) {
    if (UiRequests.fromAnotherSite(
        rc.request().getHeader("Origin"), rc.request().getHeader("Host"), publicBaseUrl.get())) {
      rc.fail(new HttpException(403));
      return;
    }
    String key = rc.request().getFormAttribute("key");
    String next = NextPath.orHome(rc.request().getFormAttribute("next"));
    String candidate = key == null ? "" : key.trim();
    keys.authenticate(new UsernamePasswordCredentials("api", candidate))
        .onSuccess(
            user ->
                sessions
                    .start(rc, ApiKeyAuthProvider.digest(candidate))
                    .onSuccess(v -> seeOther(rc.response(), next))
                    .onFailure(
                        e -> rc.fail(e instanceof UiSessions.TooManySessions ? new HttpException(503, e) : e)))
        .onFailure(
            e -> {
              if (e instanceof HttpException) {
                rc.fail(e); // the database failed, not the key
                return;
              }
              vertx.setTimer(
                  WRONG_KEY_DELAY_MILLIS,
                  t -> seeOther(rc.response(), "/login?error=1&next=" + encode(next)));
            });
  }

  void signOut(RoutingContext rc) {
    sessions
        .find(rc)
        .compose(
            signedIn -> {
              if (signedIn != null
                  && UiRequests.refusedWithoutHeader(
                      rc.request().method(), rc.request().path(), rc.request().getHeader(UiRequests.HEADER))) {
                throw new HttpException(403);
              }
              return sessions.end(rc);
            })
        .onSuccess(v -> seeOther(rc.response(), "/login"))
        .onFailure(rc::fail);
  }

  static void seeOther(HttpServerResponse response, String location) {
    response.setStatusCode(303).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
