package dev.runbus.server.live;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.SimpleAuthenticationHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's own care of its sockets, on a real server with real WebSockets: closing them when
 * the server stops (including the window the server-level test can only hit by chance: a socket
 * whose upgrade was answered just as the closing began, which would otherwise hold the graceful
 * shutdown for its whole timeout), and closing the socket of a user whose key was revoked.
 */
class LiveBridgeSocketsTest {
  private static final long RECHECK_MILLIS = 100;

  private Vertx vertx;
  private HttpServer server;
  private LiveBridge bridge;
  /** What the key check answers: valid, revoked, or unsure (the database failed). */
  private volatile Future<?> keyCheck = Future.succeededFuture();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    // the check is asked about the socket's own user, signed in by the route in front
    bridge =
        new LiveBridge(
            vertx,
            user -> user != null && "alice".equals(user.subject()) ? keyCheck : Future.failedFuture("no user"),
            RECHECK_MILLIS);
    Router router = Router.router(vertx);
    router
        .route(LiveBridge.PATH + "/*")
        .handler(
            SimpleAuthenticationHandler.create()
                .authenticate(rc -> Future.succeededFuture(User.fromName("alice"))));
    router.route(LiveBridge.PATH + "/*").subRouter(bridge.router());
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void aSocketCreatedAfterTheClosingBeganIsClosedAtOnce() throws Exception {
    bridge.closeSockets();
    WebSocket socket = connect();
    assertTrue(closedWithin(socket, 10), "the late socket was closed by the server");
  }

  @Test
  void aSocketOpenWhenTheClosingBeginsIsClosed() throws Exception {
    WebSocket socket = connect();
    socket.writeTextMessage("{\"type\":\"ping\"}").await(10, TimeUnit.SECONDS);
    bridge.closeSockets();
    assertTrue(closedWithin(socket, 10), "the open socket was closed by the server");
  }

  @Test
  void anOpenSocketStaysOpenWhileTheServerIsNotClosing() throws Exception {
    WebSocket socket = connect();
    assertFalse(closedWithin(socket, 1), "nothing closed the socket");
  }

  @Test
  void theSocketOfARevokedKeyIsClosed() throws Exception {
    WebSocket socket = connect();
    assertFalse(closedWithin(socket, 1), "open while the key is valid, through several checks");
    keyCheck = Future.failedFuture("invalid API key");
    assertTrue(closedWithin(socket, 5), "closed once the key was found revoked");
  }

  @Test
  void aKeyCheckThatCouldNotAnswerKeepsTheSocket() throws Exception {
    WebSocket socket = connect();
    keyCheck = Future.failedFuture(new HttpException(503));
    assertFalse(closedWithin(socket, 2), "the database failing is not a revoked key");
  }

  /** A socket that pings as a browser does: the bridge closes one silent for 10 s. */
  private WebSocket connect() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket socket = client
        .connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(server.actualPort())
                .setURI(LiveBridge.PATH + "/websocket"))
        .await(30, TimeUnit.SECONDS);
    vertx.setPeriodic(
        1000,
        id -> {
          if (socket.isClosed()) {
            vertx.cancelTimer(id);
          } else {
            socket.writeTextMessage("{\"type\":\"ping\"}");
          }
        });
    return socket;
  }

  private static boolean closedWithin(WebSocket socket, int seconds) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    try {
      socket.closeHandler(v -> closed.countDown());
    } catch (IllegalStateException alreadyClosed) {
      return true;
    }
    return socket.isClosed() || closed.await(seconds, TimeUnit.SECONDS);
  }
}
