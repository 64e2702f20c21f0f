package dev.runbus.server.live;

import dev.runbus.server.Viewer;
import io.vertx.core.Vertx;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;

/**
 * The browser's end of the live notices: Vert.x's SockJS event-bus bridge, mounted at {@link
 * #PATH} behind the server's auth. Outbound only {@code rb\.ui\..+}, inbound nothing, and every
 * REGISTER judged by {@link BridgeGuard} against the socket's signed-in user.
 */
public final class LiveBridge {
  public static final String PATH = "/ui/bus";

  /** A tab registers its run and its project; a few more for a comparison of runs. */
  static final int MAX_ADDRESSES_PER_SOCKET = 64;

  private LiveBridge() {}

  public static Router router(Vertx vertx) {
    SockJSBridgeOptions options =
        new SockJSBridgeOptions()
            .addOutboundPermitted(new PermittedOptions().setAddressRegex("rb\\.ui\\..+"))
            .setMaxHandlersPerSocket(MAX_ADDRESSES_PER_SOCKET)
            .setMaxAddressLength(LiveNotices.RUN_PREFIX.length() + 3 * 129);
    return SockJSHandler.create(vertx).bridge(options, LiveBridge::judge);
  }

  private static void judge(BridgeEvent event) {
    String address =
        event.getRawMessage() == null ? null : event.getRawMessage().getString("address");
    String entity = Viewer.entityOf(event.socket().webUser());
    event.complete(BridgeGuard.allows(event.type(), address, entity));
  }
}
