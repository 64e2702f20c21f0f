package dev.runbus.server.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NextPathTest {

  @Test
  void aPathOfThisSiteIsKept() {
    assertEquals("/alice/mnist?sort=name&order=asc", NextPath.orHome("/alice/mnist?sort=name&order=asc"));
    assertEquals("/", NextPath.orHome("/"));
  }

  @Test
  void anythingThatLeavesTheSiteGoesHome() {
    for (String next :
        new String[] {
          null, "", "//evil.example", "//evil.example/path", "/\\evil.example", "https://evil.example",
          "evil.example", "javascript:alert(1)", "/a\r\nSet-Cookie: x=1", "/a\\b", "/" + "x".repeat(3000)
        }) {
      assertEquals("/", NextPath.orHome(next), String.valueOf(next));
    }
  }
}
