package dev.runbus.server.ui;

import io.vertx.core.http.HttpServerResponse;

/**
 * The headers every UI page carries: scripts and connections only from this server (the page loads
 * nothing from elsewhere, so an injected script has nowhere to load from or send to), no framing.
 * Styles may be inline: uPlot positions its legend and cursor with style attributes.
 */
final class SecurityHeaders {

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          + "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
          + "base-uri 'none'; form-action 'self'; object-src 'none'";

  private SecurityHeaders() {}

  static HttpServerResponse page(HttpServerResponse response) {
    return response
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin");
  }
}
