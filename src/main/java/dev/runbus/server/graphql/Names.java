package dev.runbus.server.graphql;

import dev.runbus.server.store.BadInputException;
import java.security.SecureRandom;

/** The defaults W&B's clients rely on when they leave a name out. */
final class Names {
  /** W&B's project for runs logged without one; the store applies the same rule. */
  static final String DEFAULT_PROJECT = "uncategorized";

  private static final String RUN_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Names() {}

  static String project(String name) {
    return name == null || name.isEmpty() ? DEFAULT_PROJECT : name;
  }

  /** A new run name of W&B's shape (eight characters of [a-z0-9]), for an upsert without one. */
  static String newRunName() {
    StringBuilder id = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      id.append(RUN_ID_CHARS.charAt(RANDOM.nextInt(RUN_ID_CHARS.length())));
    }
    return id.toString();
  }

  static String required(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new BadInputException(what + " is required");
    }
    return value;
  }
}
