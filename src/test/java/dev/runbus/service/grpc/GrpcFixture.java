package dev.runbus.service.grpc;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.kernel.Kernel;
import dev.runbus.proto.PipelineProgress;
import dev.runbus.proto.RecordBatch;
import dev.runbus.service.RunHost;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceContext;
import dev.runbus.service.ServiceToken;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC transport on a free loopback port in a Vert.x of its own, with a kernel and the
 * service's run host,
 * and clients of it. {@link #ingest} stands in for a run's coordinator where a test needs to hold
 * or refuse its answers.
 */
final class GrpcFixture implements AutoCloseable {

  static final String TOKEN = "the-service-token";

  final Vertx vertx;
  final ServiceConfig config;
  final ServiceToken token = ServiceToken.of(TOKEN);
  final RunHost host;
  final GrpcTransportVerticle transport;
  private final List<GrpcRunClient> clients = new ArrayList<>(); // kept: Vert.x reclaims others

  GrpcFixture(Path dataDir, ServiceConfig.Listener listener) throws Exception {
    vertx = Vertx.vertx();
    Bus.registerCodec(vertx);
    Kernel.deploy(vertx).await(30, TimeUnit.SECONDS);
    config = ServiceConfig.defaults(dataDir).withGrpc(listener).withToken(TOKEN);
    host = new RunHost(vertx, config, token);
    transport = new GrpcTransportVerticle(new ServiceContext(config, token, host));
    vertx.deployVerticle(transport).await(20, TimeUnit.SECONDS);
  }

  static GrpcFixture plain(Path dataDir) throws Exception {
    return new GrpcFixture(dataDir, new ServiceConfig.Listener("127.0.0.1", freePort(), null, null));
  }

  /** Waits until the run host holds no run: the last one's stream was closed. */
  void awaitNoRuns() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (host.openRuns() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(host.openRuns() + " runs still open");
      }
      Thread.sleep(10);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  GrpcRunClient client(String token) {
    return client(token, null, "127.0.0.1");
  }

  GrpcRunClient client(String token, TrustOptions trust, String hostName) {
    GrpcRunClient client = GrpcRunClient.connect(vertx, hostName, transport.port(), token, trust);
    clients.add(client);
    return client;
  }

  /** A stand-in coordinator for {@code runId}: records batches, answers when told. */
  Ingest ingest(String runId) throws Exception {
    Ingest ingest = new Ingest();
    ingest.consumer =
        vertx.eventBus().<com.google.protobuf.Message>consumer(Addresses.attach(runId), ingest::on);
    ingest.consumer.completion().await(10, TimeUnit.SECONDS);
    return ingest;
  }

  static final class Ingest {
    final List<RecordBatch> batches = new CopyOnWriteArrayList<>();
    final List<String> ranks = new CopyOnWriteArrayList<>();
    private final List<Message<com.google.protobuf.Message>> held = new ArrayList<>();
    private volatile boolean holding;
    MessageConsumer<com.google.protobuf.Message> consumer;

    private void on(Message<com.google.protobuf.Message> message) {
      batches.add((RecordBatch) message.body());
      ranks.add(message.headers().get(Addresses.RANK_HEADER));
      synchronized (held) {
        if (holding) {
          held.add(message);
          return;
        }
      }
      answer(message);
    }

    private void answer(Message<com.google.protobuf.Message> message) {
      message.reply(
          PipelineProgress.newBuilder().setRecordsAccepted(batches.size()).build(), Bus.protobuf());
    }

    /** From now on, batches are kept unanswered until {@link #release}. */
    void hold() {
      holding = true;
    }

    /** Answers every batch held, and the later ones at once. */
    void release(Vertx vertx) {
      vertx.runOnContext(
          v -> {
            List<Message<com.google.protobuf.Message>> now;
            synchronized (held) {
              holding = false;
              now = new ArrayList<>(held);
              held.clear();
            }
            now.forEach(this::answer);
          });
    }

    void awaitBatches(int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (batches.size() < n) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the ingest got " + batches.size() + " batches, not " + n);
        }
        Thread.sleep(5);
      }
    }
  }

  @Override
  public void close() throws Exception {
    clients.forEach(GrpcRunClient::close);
    vertx.close().await(20, TimeUnit.SECONDS);
  }
}
