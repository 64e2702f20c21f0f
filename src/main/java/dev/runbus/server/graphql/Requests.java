package dev.runbus.server.graphql;

import dev.runbus.server.store.User;
import graphql.schema.DataFetchingEnvironment;

/** What one GraphQL request carries besides its document: the authenticated user. */
final class Requests {
  private Requests() {}

  /** The store user the auth handler authenticated, put into the GraphQL context per request. */
  static User viewer(DataFetchingEnvironment env) {
    User viewer = env.getGraphQlContext().get(User.class);
    if (viewer == null) {
      throw new IllegalStateException("GraphQL request without an authenticated user");
    }
    return viewer;
  }
}
