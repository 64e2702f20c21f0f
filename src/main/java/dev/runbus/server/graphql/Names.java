package dev.runbus.server.graphql;

import dev.runbus.server.store.BadInputException;

/** The defaults W&B's clients rely on when they leave a name out. */
final class Names {
  /** W&B's project for runs logged without one; the store applies the same rule. */
  static final String DEFAULT_PROJECT = "uncategorized";

  private Names() {}

  static String project(String name) {
    return name == null || name.isEmpty() ? DEFAULT_PROJECT : name;
  }

  static String required(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new BadInputException(what + " is required");
    }
    return value;
  }
}
