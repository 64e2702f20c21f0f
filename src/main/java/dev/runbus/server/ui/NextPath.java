package dev.runbus.server.ui;

/**
 * Where sign-in sends the browser afterwards: only a path on this site, so a crafted login link
 * cannot bounce a user to another site ({@code //evil.example} and {@code /\evil.example} are
 * other sites to a browser).
 */
public final class NextPath {

  public static final String HOME = "/";
  private static final int MAX_LENGTH = 2048;

  private NextPath() {}

  /** {@code next} when it is a same-site path, else {@code /}. */
  public static String orHome(String next) {
    if (next == null
        || next.isEmpty()
        || next.length() > MAX_LENGTH
        || next.charAt(0) != '/'
        || next.startsWith("//")
        || next.startsWith("/\\")) {
      return HOME;
    }
    for (int i = 0; i < next.length(); i++) {
      char c = next.charAt(i);
      // control characters could split a Location header; a backslash browsers read as a slash
      if (c < 0x20 || c == 0x7f || c == '\\') {
        return HOME;
      }
    }
    return next;
  }
}
