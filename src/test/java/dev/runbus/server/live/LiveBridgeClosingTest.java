package dev.runbus.server.live;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The window the server-level test can only hit by chance: a socket whose upgrade was answered
 * just as the server began closing the bridge's sockets. It must be closed too, or it holds the
 * graceful shutdown open for its whole timeout.
 */
class LiveBridgeClosingTest {
  private Vertx vertx;
  private HttpServer server;
  private LiveBridge bridge;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    bridge = new LiveBridge(vertx);
    Router router = Router.router(vertx);
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
    assertTrue(!closedWithin(socket, 1), "nothing closed the socket");
  }

  private WebSocket connect() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    return client
        .connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(server.actualPort())
                .setURI(LiveBridge.PATH + "/websocket"))
        .await(30, TimeUnit.SECONDS);
  }

  private static boolean closedWithin(WebSocket socket, int seconds) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    socket.closeHandler(v -> closed.countDown());
    if (socket.isClosed()) {
      return true;
    }
    return closed.await(seconds, TimeUnit.SECONDS);
  }
}
