package dev.runbus.server.ui;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Every page path answers the single-page app's {@code index.html} to a signed-in browser; without
 * a session, 303 to the login page, which comes back here afterwards. Any other GET goes on.
 */
final class PageHandler implements Handler<RoutingContext> {

  static final String INDEX = "webui/index.html";

  private final SessionUsers users;
  private final ClasspathAssets assets;

  PageHandler(SessionUsers users, ClasspathAssets assets) {
    this.users = users;
    this.assets = assets;
  }

  @Override
  public void handle(RoutingContext rc) {
    String path = rc.request().path();
    if (!PagePaths.isPage(path)) {
      rc.next();
      return;
    }
    users
        .userOf(rc)
        .onSuccess(
            user -> {
              if (user == null) {
                String query = rc.request().query();
                String back = query == null ? path : path + "?" + query;
                SignInHandlers.seeOther(rc.response(), "/login?next=" + SignInHandlers.encode(back));
                return;
              }
              SecurityHeaders.page(rc.response());
              assets.serve(rc, INDEX, "no-cache");
            })
        .onFailure(rc::fail);
  }
}
