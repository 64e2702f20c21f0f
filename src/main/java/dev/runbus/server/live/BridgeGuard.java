package dev.runbus.server.live;

import io.vertx.ext.bridge.BridgeEventType;

/**
 * Decides what a browser may do on the event-bus bridge: listen to the notices of its own
 * entity's runs and projects, and nothing else. It sends and publishes nothing (the UI reads
 * through the read API); a REGISTER is allowed only for {@code rb.ui.run.<entity>/<project>/<run>}
 * or {@code rb.ui.project.<entity>/<project>} with the signed-in user's entity and well-formed
 * names. The bridge's own outbound rule ({@code rb\.ui\..+}) still applies on top.
 */
public final class BridgeGuard {
  private static final int MAX_NAME = 128;

  private BridgeGuard() {}

  /**
   * Whether the bridge may go on with an event of {@code type} on {@code address} (null for
   * socket events) for a socket whose user's entity is {@code entity} (null: nobody signed in).
   */
  public static boolean allows(BridgeEventType type, String address, String entity) {
    return switch (type) {
      case SOCKET_CREATED, SOCKET_CLOSED, SOCKET_IDLE, SOCKET_PING, SOCKET_ERROR -> true;
      // what reaches the browser is only ever on an address it was allowed to register
      case RECEIVE, REGISTERED, UNREGISTER -> true;
      case REGISTER -> entity != null && address != null && isOwnAddress(address, entity);
      case SEND, PUBLISH -> false;
    };
  }

  static boolean isOwnAddress(String address, String entity) {
    if (address.startsWith(LiveNotices.RUN_PREFIX)) {
      return names(address.substring(LiveNotices.RUN_PREFIX.length()), 3, entity);
    }
    if (address.startsWith(LiveNotices.PROJECT_PREFIX)) {
      return names(address.substring(LiveNotices.PROJECT_PREFIX.length()), 2, entity);
    }
    return false;
  }

  /** {@code count} names joined by '/', the first being {@code entity}. */
  private static boolean names(String path, int count, String entity) {
    String[] parts = path.split("/", -1);
    if (parts.length != count || !parts[0].equals(entity)) {
      return false;
    }
    for (String part : parts) {
      if (!isName(part)) {
        return false;
      }
    }
    return true;
  }

  /** The store's rule for entity, project and run names. */
  private static boolean isName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch < 0x20 || ch == 0x7f || "/\\#?%:".indexOf(ch) >= 0) {
        return false;
      }
    }
    return true;
  }
}
