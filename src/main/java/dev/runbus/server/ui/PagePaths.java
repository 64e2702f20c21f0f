package dev.runbus.server.ui;

import java.util.Set;

/**
 * Which GET paths are the web UI's pages, all answered by the single-page app's {@code index.html}.
 * The shapes are W&B's, so the run URL W&B's own client prints opens our run page: {@code /},
 * {@code /<entity>}, {@code /<entity>/<project>}, {@code /<entity>/<project>/compare} and
 * {@code /<entity>/<project>/runs/<run>}. Paths under the server's other prefixes are never pages.
 */
public final class PagePaths {

  /** First segments that belong to the API, W&B's endpoints, assets and sign-in, never to a page. */
  private static final Set<String> RESERVED =
      Set.of("api", "graphql", "files", "ui", "healthz", "login", "logout", "storage", "sdk");

  /** Longer paths are no page; the bound keeps a hostile path from costing a long split. */
  private static final int MAX_PATH_LENGTH = 2048;

  private PagePaths() {}

  /** True when {@code path} (the request's raw path, without the query) is a page of the UI. */
  public static boolean isPage(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/' || path.length() > MAX_PATH_LENGTH) {
      return false;
    }
    if (path.equals("/")) {
      return true;
    }
    // one trailing slash is the same page; an empty segment anywhere else is not a page
    String trimmed = path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
    String[] segments = trimmed.split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    if (RESERVED.contains(segments[0])) {
      return false;
    }
    return switch (segments.length) {
      case 1, 2 -> true;
      case 3 -> segments[2].equals("compare");
      case 4 -> segments[2].equals("runs");
      default -> false;
    };
  }
}
