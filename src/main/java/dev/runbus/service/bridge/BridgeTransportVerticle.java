package dev.runbus.service.bridge;

import dev.runbus.Runbus;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceContext;
import dev.runbus.service.ServiceStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service transport: the TCP event-bus bridge on {@code config.bridge()}, letting through only
 * {@code rb.bridge.*}, inbound and outbound. Every frame to it passes the {@link FrameGate} (token,
 * request shape); the served addresses hand their frames to {@link BridgeSessions}, whose runs are
 * embedded runs of this Vert.x instance. Stopping finishes every run still open: undeploy this
 * verticle before the instance closes, so the kernel is still there to end their logs.
 */
public final class BridgeTransportVerticle extends VerticleBase {

  /** How long the bridge waits for the answer to a frame; finish gets longer (see below). */
  static final long REQUEST_TIMEOUT_MILLIS = 120_000;

  /** A finish waits for the log and, online, for the upload (the Java API's 5 minutes at most). */
  static final long FINISH_TIMEOUT_MILLIS = 360_000;

  private final ServiceContext service;
  private final BridgeSessions.Limits limits;
  private final Map<NetSocket, String> connections = new ConcurrentHashMap<>();
  private final AtomicLong connectionCount = new AtomicLong();
  private FrameGate gate;
  private BridgeSessions sessions;
  private ExecutorService pool;
  private TcpEventBusBridge bridge;
  private volatile int port = -1;

  public BridgeTransportVerticle(ServiceContext service) {
    this(service, BridgeSessions.Limits.DEFAULT);
  }

  BridgeTransportVerticle(ServiceContext service, BridgeSessions.Limits limits) {
    this.service = service;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    ServiceConfig.Listener listener = service.config().bridge();
    if (listener == null) {
      return Future.succeededFuture(); // no bridge configured
    }
    gate = new FrameGate(service.token(), REQUEST_TIMEOUT_MILLIS, FINISH_TIMEOUT_MILLIS);
    pool = Executors.newCachedThreadPool(BridgeTransportVerticle::thread);
    sessions =
        new BridgeSessions(
            settings -> Runbus.init(vertx, settings), service.config(), pool, limits);
    List<Future<?>> consumers = new ArrayList<>();
    for (String address : BridgeAddresses.SERVED) {
      consumers.add(vertx.eventBus().localConsumer(address, this::onRequest).completion());
    }
    PermittedOptions permitted = new PermittedOptions().setAddressRegex(BridgeAddresses.PERMITTED_REGEX);
    BridgeOptions options =
        new BridgeOptions().addInboundPermitted(permitted).addOutboundPermitted(permitted);
    NetServerOptions net = new NetServerOptions();
    if (listener.tls()) {
      net.setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions().setCertPath(listener.certPath()).setKeyPath(listener.keyPath()));
    }
    bridge = TcpEventBusBridge.create(vertx, options, net, this::onBridgeEvent);
    try {
      port = listener.port() != 0 ? listener.port() : freePort(listener.host());
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return Future.all(consumers).compose(all -> bridge.listen(port, listener.host()));
  }

  @Override
  public Future<?> stop() {
    if (bridge == null) {
      return Future.succeededFuture();
    }
    // first, so that the runs whose connections the close below ends count as stopped, not abandoned
    CompletableFuture<Void> finished = sessions.finishAll();
    return bridge
        .close() // no new frames
        .eventually(() -> Future.fromCompletionStage(finished, context))
        .eventually(
            () -> {
              pool.shutdown();
              return Future.succeededFuture();
            });
  }

  /**
   * A port the system has free now. The bridge cannot say which port it bound for port 0, and the
   * ready line must name it, so runbus asks first; another process taking it in between makes the
   * listen fail, saying so.
   */
  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  /** The port it listens on (the configured one, or the one chosen for port 0); -1 before start. */
  public int port() {
    return port;
  }

  /** Open runs, for tests and the service's status. */
  int openRuns() {
    return sessions == null ? 0 : sessions.openRuns();
  }

  private void onBridgeEvent(BridgeEvent event) {
    BridgeEventType type = event.type();
    JsonObject frame = event.getRawMessage();
    boolean fromClient =
        type == BridgeEventType.SEND
            || type == BridgeEventType.PUBLISH
            || type == BridgeEventType.REGISTER
            || type == BridgeEventType.UNREGISTER;
    if (!fromClient || frame == null) {
      event.complete(true); // ping; REGISTERED reports a register this gate passed already
      return;
    }
    JsonObject refusal = gate.check(frame, connection(event.socket()));
    if (refusal == null) {
      event.complete(true);
      return;
    }
    // Completing with false would make the bridge answer "blocked by bridgeEvent handler", which
    // says nothing of why: answer with the reason, and leave the event pending so that the bridge
    // neither acts on the frame nor answers it a second time.
    Buffer json = refusal.toBuffer();
    event.socket().write(Buffer.buffer(4 + json.length()).appendInt(json.length()).appendBuffer(json));
  }

  /** The id of a client's connection; its close finishes the runs it left open. */
  private String connection(NetSocket socket) {
    return connections.computeIfAbsent(
        socket,
        s -> {
          String id = "c" + connectionCount.incrementAndGet();
          s.closeHandler(
              closed -> {
                connections.remove(s);
                sessions.connectionClosed(id);
              });
          return id;
        });
  }

  private void onRequest(Message<Object> message) {
    String connection = message.headers().get(FrameGate.CONNECTION_HEADER);
    if (connection == null) {
      BridgeFailure refused =
          new BridgeFailure(
              ServiceStatus.UNAUTHENTICATED,
              message.address() + " answers frames that come through the TCP bridge only");
      message.fail(refused.code(), refused.message());
      return;
    }
    sessions
        .handle(message.address(), connection, message.body())
        .whenComplete(
            (reply, failure) ->
                context.runOnContext(
                    v -> {
                      if (failure == null) {
                        message.reply(reply);
                      } else {
                        BridgeFailure refused = BridgeFailure.of(failure);
                        message.fail(refused.code(), refused.message());
                      }
                    }));
  }

  private static Thread thread(Runnable task) {
    Thread thread = new Thread(task, "runbus-bridge");
    thread.setDaemon(true);
    return thread;
  }
}
