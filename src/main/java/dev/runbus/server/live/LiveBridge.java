package dev.runbus.server.live;

import dev.runbus.server.Viewer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.User;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The browser's end of the live notices: Vert.x's SockJS event-bus bridge, mounted at {@link
 * #PATH} behind the server's auth. Outbound only {@code rb\.ui\..+}, inbound nothing, and every
 * REGISTER judged by {@link BridgeGuard} against the socket's signed-in user. It keeps the open
 * sockets so that a stopping server can close them: a browser pings every 5 s, so its socket
 * would otherwise hold a graceful shutdown for the whole shutdown timeout. It also asks again,
 * every {@code recheckMillis}, whether each socket's user still holds a valid key, and closes the
 * socket of one that does not: a socket lives as long as its page, and a revoked key must not
 * keep hearing of its runs until the page is closed.
 */
public final class LiveBridge {
  public static final String PATH = "/ui/bus";

  /** A tab registers its run and its project; a few more for a comparison of runs. */
  static final int MAX_ADDRESSES_PER_SOCKET = 64;

  private final Vertx vertx;
  /** Succeeds while the user still holds a valid key; fails with an HttpException if unsure. */
  private final Function<User, Future<?>> stillValid;
  private final long recheckMillis;
  private final Set<SockJSSocket> open = ConcurrentHashMap.newKeySet();
  private long recheckTimer = -1;

  /** Guards {@link #open} against a socket created while the server is closing them. */
  private final Object lock = new Object();

  private boolean closing;

  /**
   * @param stillValid succeeds while a socket's user still holds a valid key; a failure that is
   *     an {@link HttpException} means the check itself failed (the database), and keeps the socket
   */
  public LiveBridge(Vertx vertx, Function<User, Future<?>> stillValid, long recheckMillis) {
    this.vertx = vertx;
    this.stillValid = stillValid;
    this.recheckMillis = recheckMillis;
  }

  public Router router() {
    SockJSBridgeOptions options =
        new SockJSBridgeOptions()
            .addOutboundPermitted(new PermittedOptions().setAddressRegex("rb\\.ui\\..+"))
            .setMaxHandlersPerSocket(MAX_ADDRESSES_PER_SOCKET)
            .setMaxAddressLength(LiveNotices.RUN_PREFIX.length() + 3 * 129);
    recheckTimer = vertx.setPeriodic(recheckMillis, id -> recheckKeys());
    return SockJSHandler.create(vertx).bridge(options, this::judge);
  }

  private void recheckKeys() {
    for (SockJSSocket socket : open) {
      stillValid
          .apply(socket.webUser())
          .onFailure(
              e -> {
                if (!(e instanceof HttpException) && open.remove(socket)) {
                  socket.close();
                }
              });
    }
  }

  /** Closes every open bridge socket (the server is stopping; browsers reconnect elsewhere). */
  public void closeSockets() {
    List<SockJSSocket> toClose;
    vertx.cancelTimer(recheckTimer);
    synchronized (lock) {
      closing = true;
      toClose = new ArrayList<>(open);
      open.clear();
    }
    for (SockJSSocket socket : toClose) {
      socket.close();
    }
  }

  private void judge(BridgeEvent event) {
    String address =
        event.getRawMessage() == null ? null : event.getRawMessage().getString("address");
    String entity = Viewer.entityOf(event.socket().webUser());
    boolean allowed = BridgeGuard.allows(event.type(), address, entity);
    if (allowed && event.type() == BridgeEventType.SOCKET_CREATED) {
      // a socket whose upgrade was under way when the server began closing them: the client saw
      // its handshake answered, so it is refused and closed here rather than left to hold the
      // graceful shutdown open for its whole timeout
      synchronized (lock) {
        allowed = !closing;
        if (allowed) {
          open.add(event.socket());
        }
      }
      if (!allowed) {
        event.complete(false);
        event.socket().close();
        return;
      }
    } else if (event.type() == BridgeEventType.SOCKET_CLOSED) {
      open.remove(event.socket());
    }
    event.complete(allowed);
  }
}
