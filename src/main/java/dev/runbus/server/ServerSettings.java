package dev.runbus.server;

/**
 * A server's whole configuration as {@link ServerConfigLoader} resolved it.
 *
 * @param firstUser the user the first start creates a key for, when the database has none
 */
public record ServerSettings(ServerConfig config, ServerLimits limits, String firstUser) {

  public static final String DEFAULT_FIRST_USER = "admin";

  /** The base URL clients are told to use: the public URL, else {@code http://host:port}. */
  public String baseUrl(int actualPort) {
    if (config.publicUrl() != null) {
      return stripSlash(config.publicUrl());
    }
    String host = config.host();
    // a wildcard address is where the server listens, not where a client finds it
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + actualPort;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
