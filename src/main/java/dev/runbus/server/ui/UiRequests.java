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

  /**
   * True when a browser says the request comes from another site: its {@code Origin} names a host
   * other than the one the request was sent to ({@code Host}) and other than the server's public
   * URL. A sign-in form posted from another site would otherwise sign the browser in with the other
   * site's key (login CSRF). No {@code Origin} (a script, curl) is not a browser's cross-site post.
   */
  public static boolean fromAnotherSite(String origin, String host, String publicBaseUrl) {
    if (origin == null) {
      return false;
    }
    String authority = authorityOf(origin);
    if (authority == null) {
      return true; // "null" (a sandboxed or privacy-sensitive context) and anything unreadable
    }
    return !(authority.equalsIgnoreCase(host)
        || (publicBaseUrl != null && authority.equalsIgnoreCase(authorityOf(publicBaseUrl))));
  }

  private static String authorityOf(String url) {
    try {
      java.net.URI uri = new java.net.URI(url);
      return uri.getScheme() == null ? null : uri.getRawAuthority();
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

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
