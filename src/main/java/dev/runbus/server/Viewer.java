package dev.runbus.server;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The authenticated {@link dev.runbus.server.store.User} of a request, as the auth handler set it. */
public final class Viewer {
  private static final String ID = "runbus_user_id";
  private static final String NAME = "username";

  private Viewer() {}

  /** The Vert.x user that the auth provider hands back for a store user. */
  public static io.vertx.ext.auth.User principal(dev.runbus.server.store.User user) {
    return io.vertx.ext.auth.User.create(new JsonObject().put(NAME, user.name()).put(ID, user.id()));
  }

  /** The entity (user name) of an authenticated Vert.x user, or null for none. */
  public static String entityOf(io.vertx.ext.auth.User user) {
    return user == null || !user.principal().containsKey(ID)
        ? null
        : user.principal().getString(NAME);
  }

  /** The store user of an authenticated request; fails if the route had no auth handler. */
  public static dev.runbus.server.store.User of(RoutingContext rc) {
    io.vertx.ext.auth.User user = rc.user();
    if (user == null || !user.principal().containsKey(ID)) {
      throw new IllegalStateException("no authenticated user on " + rc.request().path());
    }
    JsonObject p = user.principal();
    return new dev.runbus.server.store.User(p.getLong(ID), p.getString(NAME));
  }
}
