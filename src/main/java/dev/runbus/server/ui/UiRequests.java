package dev.runbus.server.ui;

import io.vertx.core.http.HttpMethod;

/**
 * The rules for requests the web UI makes. Its {@code fetch} calls send {@value #HEADER}{@code : 1}:
 * a cross-site form cannot set a header, so a session-authenticated request that changes
 * something must carry it (CSRF); and a 401 to such a request carries no {@code WWW-Authenticate},
 * so the browser shows no Basic dialog and the UI goes to its login page instead.
 */
public final class UiRequests {

  public static final String HEADER = "X-Runbus-UI";

  /**
   * SockJS's fallback transports (xhr_send, xhr_streaming) POST without custom headers. The bridge
   * permits nothing inbound, and a SockJS session's id is a server-side secret, so a cross-site
   * form can do nothing there; the rule would only break those transports.
   */
  private static final String BUS_PREFIX = "/ui/bus/";

  private UiRequests() {}

  /** True when the request comes from the UI's own {@code fetch}. */
  public static boolean isUiFetch(String headerValue) {
    return "1".equals(headerValue);
  }

  /**
   * True when a session-authenticated request must be refused (403): it is not a read and lacks
   * the UI's header.
   */
  public static boolean refusedWithoutHeader(HttpMethod method, String path, String headerValue) {
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      return false;
    }
    if (path != null && path.startsWith(BUS_PREFIX)) {
      return false;
    }
    return !isUiFetch(headerValue);
  }
}
