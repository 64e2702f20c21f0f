package dev.runbus.server.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class UiRequestsTest {

  @Test
  void aChangeNeedsTheHeaderAReadDoesNot() {
    assertTrue(UiRequests.refusedWithoutHeader(HttpMethod.POST, "/api/v1/x", null));
    assertTrue(UiRequests.refusedWithoutHeader(HttpMethod.DELETE, "/api/v1/x", "0"));
    assertFalse(UiRequests.refusedWithoutHeader(HttpMethod.POST, "/api/v1/x", "1"));
    assertFalse(UiRequests.refusedWithoutHeader(HttpMethod.GET, "/api/v1/x", null));
    assertFalse(UiRequests.refusedWithoutHeader(HttpMethod.HEAD, "/api/v1/x", null));
    assertFalse(UiRequests.refusedWithoutHeader(HttpMethod.POST, "/ui/bus/123/abc/xhr_send", null));
  }

  @Test
  void onlyABrowsersPostFromAnotherSiteIsCrossSite() {
    assertFalse(UiRequests.fromAnotherSite(null, "127.0.0.1:8080", null));
    assertFalse(UiRequests.fromAnotherSite("http://127.0.0.1:8080", "127.0.0.1:8080", null));
    assertFalse(UiRequests.fromAnotherSite("https://runs.example.org", "10.0.0.5:8080", "https://runs.example.org"));
    assertTrue(UiRequests.fromAnotherSite("http://evil.example", "127.0.0.1:8080", "http://127.0.0.1:8080"));
    assertTrue(UiRequests.fromAnotherSite("http://127.0.0.1:9999", "127.0.0.1:8080", null));
    assertTrue(UiRequests.fromAnotherSite("null", "127.0.0.1:8080", null));
  }
}
