package dev.runbus.server.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PagePathsTest {

  @Test
  void wandbsPageShapesArePages() {
    for (String page :
        new String[] {
          "/", "/alice", "/alice/", "/alice/mnist", "/alice/mnist/", "/alice/mnist/compare",
          "/alice/mnist/runs/b81edb41", "/alice/my%20project/runs/x1"
        }) {
      assertTrue(PagePaths.isPage(page), page);
    }
  }

  @Test
  void theServersOtherPathsAreNot() {
    for (String other :
        new String[] {
          "/api/v1/entities", "/api", "/graphql", "/files/a/b/c/file_stream", "/files/upload/1",
          "/ui/app.js", "/ui", "/healthz", "/login", "/logout", "/storage/x", "/sdk/otel/v1/metrics",
          "/alice/mnist/other", "/alice/mnist/runs", "/alice/mnist/runs/x/logs", "/a/b/c/d/e",
          "//evil", "/alice//mnist", "/alice/../mnist", "", "alice", null
        }) {
      assertFalse(PagePaths.isPage(other), other);
    }
    assertFalse(PagePaths.isPage("/" + "a".repeat(3000)));
  }
}
