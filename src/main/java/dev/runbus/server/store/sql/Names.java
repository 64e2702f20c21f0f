package dev.runbus.server.store.sql;

import dev.runbus.server.store.BadInputException;

/**
 * Checks for the names clients choose (entities, projects, runs, tags). They reach the database
 * only as parameters of prepared statements, so quotes and semicolons are fine. What is refused
 * cannot be stored alike on both databases (NUL), addressed in a URL path segment, or would make
 * two runs' storage ids alike: the characters W&B's own client refuses in run ids and project
 * names ({@code / \ # ? % :}).
 */
final class Names {
  static final int MAX_NAME = 128;
  static final int MAX_TEXT = 1 << 20;

  private Names() {}

  private static final String FORBIDDEN = "/\\#?%:";

  /** An entity, project or run name: 1..128 characters, none of {@code / \ # ? % :}, no control characters. */
  static String checkName(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new BadInputException(what + " name is empty");
    }
    if (name.length() > MAX_NAME) {
      throw new BadInputException(what + " name longer than " + MAX_NAME + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new BadInputException(what + " name has a control character");
      }
      if (FORBIDDEN.indexOf(c) >= 0) {
        throw new BadInputException(
            what + " name has a '" + c + "' (not allowed: / \\ # ? % :): " + name);
      }
    }
    return name;
  }

  /** Free text (notes, config, a line): no NUL, which PostgreSQL's TEXT cannot hold. */
  static String checkText(String what, String text) {
    if (text != null && text.indexOf('\0') >= 0) {
      throw new BadInputException(what + " contains a NUL character");
    }
    return text;
  }

  /** Free text with a length limit (display names, notes, tags and the like). */
  static String checkText(String what, String text, int max) {
    if (text != null && text.length() > max) {
      throw new BadInputException(what + " longer than " + max + " characters");
    }
    return checkText(what, text);
  }
}
