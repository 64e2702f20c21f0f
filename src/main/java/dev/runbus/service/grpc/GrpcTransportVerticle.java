package dev.runbus.service.grpc;

import dev.runbus.proto.RunServiceGrpcService;
import dev.runbus.service.ServiceConfig;
import dev.runbus.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;

/**
 * A service transport: gRPC ({@code proto/runbus/v1/service.proto}) on {@code config.grpc()},
 * with TLS when the listener names a PEM certificate and key. Calls become {@code RunHost.attach}
 * and requests on the run's ingest address ({@link RunCalls}, {@link PublishStream}).
 */
public final class GrpcTransportVerticle extends VerticleBase {

  /** Room for a PublishRequest's own fields around its batch. */
  private static final int ENVELOPE_BYTES = 64 << 10;

  /** Per stream: a few batches of a fast client fit without waiting for a window update. */
  private static final int STREAM_WINDOW_BYTES = 1 << 20;

  private final ServiceContext service;
  private HttpServer server;

  public GrpcTransportVerticle(ServiceContext service) {
    this.service = service;
  }

  @Override
  public Future<?> start() {
    ServiceConfig.Listener listener = service.config().grpc();
    GrpcServer grpc =
        GrpcServer.server(
            vertx,
            new GrpcServerOptions()
                .setMaxMessageSize(PublishWindow.MAX_BATCH_BYTES + ENVELOPE_BYTES));
    RunCalls calls = new RunCalls(vertx.eventBus(), service);
    PublishStreams streams = new PublishStreams();
    grpc.callHandler(RunServiceGrpcService.Attach, call -> calls.serve(call, calls::attach));
    grpc.callHandler(RunServiceGrpcService.RunStart, call -> calls.serve(call, calls::runStart));
    grpc.callHandler(RunServiceGrpcService.PollExit, call -> calls.serve(call, calls::pollExit));
    grpc.callHandler(
        RunServiceGrpcService.GetSummary, call -> calls.serve(call, calls::getSummary));
    grpc.callHandler(
        RunServiceGrpcService.SampledHistory, call -> calls.serve(call, calls::sampledHistory));
    grpc.callHandler(RunServiceGrpcService.Finish, call -> calls.serve(call, calls::finish));
    grpc.callHandler(RunServiceGrpcService.Close, call -> calls.serve(call, calls::close));
    grpc.callHandler(
        RunServiceGrpcService.Publish,
        call -> new PublishStream(vertx.eventBus(), call, new PublishWindow(), streams).start(service.token()));

    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(listener.host())
            .setPort(listener.port())
            .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW_BYTES));
    if (listener.tls()) {
      options
          .setSsl(true)
          .setUseAlpn(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(listener.certPath())
                  .setKeyPath(listener.keyPath()));
    }
    server = vertx.createHttpServer(options).requestHandler(grpc);
    return server.listen();
  }

  /** The port it listens on (the configured one, or the one chosen for port 0); -1 before start. */
  public int port() {
    return server == null ? -1 : server.actualPort();
  }
}
