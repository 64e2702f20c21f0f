package dev.runbus.server;

import dev.runbus.server.api.ReadApi;
import dev.runbus.server.graphql.GraphQlEndpoint;
import dev.runbus.server.http.ApiKeyAuthProvider;
import dev.runbus.server.http.ErrorResponses;
import dev.runbus.server.http.FileStreamHandler;
import dev.runbus.server.http.InFlightLimiter;
import dev.runbus.server.http.SignedUploadUrls;
import dev.runbus.server.http.UploadHandler;
import dev.runbus.server.http.UploadSigner;
import dev.runbus.server.live.LiveBridge;
import dev.runbus.server.live.LiveNotices;
import dev.runbus.server.live.NoticingStore;
import dev.runbus.server.live.RunNotices;
import dev.runbus.server.store.ServerStore;
import dev.runbus.server.ui.WebUi;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BasicAuthHandler;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server: routes W&B's endpoints (GraphQL, FileStream, uploads) and the read API to their
 * handlers, with HTTP Basic in front of all but signed uploads and {@code /healthz}. It only wires;
 * the handlers hold the logic and the store does every database call on the {@code db} workers.
 */
public final class ServerVerticle extends VerticleBase {

  /** HTTP Basic's realm, as {@code WWW-Authenticate} names it. */
  public static final String REALM = "runbus";

  private final ServerSettings settings;
  private final ServerStore store;
  private final WorkerExecutor db;
  private final UploadSigner signer;
  private final InFlightLimiter limiter;
  private volatile HttpServer server;
  private volatile WebUi webUi;
  private volatile LiveBridge bridge;
  private volatile int port;

  public ServerVerticle(
      ServerSettings settings,
      ServerStore store,
      WorkerExecutor db,
      UploadSigner signer,
      InFlightLimiter limiter) {
    this.settings = settings;
    this.store = store;
    this.db = db;
    this.signer = signer;
    this.limiter = limiter;
  }

  @Override
  public Future<?> start() {
    ServerConfig config = settings.config();
    // live views: every write that changes a run is told to the UI's notices
    RunNotices notices =
        new RunNotices(
            (delay, task) -> vertx.setTimer(delay, id -> task.run()),
            (address, body) -> vertx.eventBus().publish(address, body));
    ServerStore store = new NoticingStore(this.store, new LiveNotices(notices));
    // runs whose process died mid-run go from running to crashed; the timer ends with the verticle
    Duration crashAfter = settings.limits().crashAfter();
    SilentRunSweep silentRuns = new SilentRunSweep(store.runs(), db, crashAfter, Clock.systemUTC());
    vertx.setPeriodic(SilentRunSweep.period(crashAfter).toMillis(), id -> silentRuns.sweep());
    RunFileStorage files = new RunFileStorage(config.dataDirectory());
    UploadUrls uploads =
        new SignedUploadUrls(
            signer, () -> settings.baseUrl(port), settings.limits().uploadUrlTtl(), Clock.systemUTC());
    ErrorResponses errors = new ErrorResponses(config.maxBodyBytes());
    Router router = Router.router(vertx);
    router.route().failureHandler(errors);
    for (int status : new int[] {404, 405, 500}) {
      router.errorHandler(status, errors);
    }

    // open: a health probe, W&B 0.30's own telemetry (nothing to see here), signed uploads
    router.get("/healthz").handler(rc -> rc.json(new JsonObject().put("status", "ok")));
    router.post("/sdk/otel/v1/metrics").handler(rc -> rc.fail(404));
    router
        .put(SignedUploadUrls.PATH + ":runId")
        .handler(
            new UploadHandler(
                vertx, signer, files, store.files(), db, config.maxUploadBytes(), Clock.systemUTC()));

    // the web UI: pages, assets and sign-in; the read API and the live bridge also take a session
    ApiKeyAuthProvider keys = new ApiKeyAuthProvider(store.accounts(), db);
    webUi =
        new WebUi(
            vertx, keys, () -> settings.baseUrl(port), settings.baseUrl(config.port()).startsWith("https:"));
    webUi.mount(router);

    // everything else needs a key
    router.route().handler(BasicAuthHandler.create(keys, REALM));
    // the UI's live notices, over Vert.x's SockJS event-bus bridge (listen only, own entity only)
    // a socket outlives the request that opened it: its key is checked again as often as the key
    // cache forgets, so a revoked key's sockets close within about twice the cache's lifetime
    bridge =
        new LiveBridge(
            vertx,
            user -> keys.authenticateDigest(ApiKeyAuthProvider.keyDigestOf(user)),
            ApiKeyAuthProvider.CACHE_TTL_MILLIS);
    router.route(LiveBridge.PATH + "/*").subRouter(bridge.router());
    FileStreamHandler fileStream =
        new FileStreamHandler(store.fileStreams(), db, limiter, config.maxBodyBytes());
    String fileStreamPath = "/files/:entity/:project/:run/file_stream";
    // two routes: admission must run before the body is read, and vertx-web wants a route's body
    // handler first
    router.post(fileStreamPath).handler(fileStream.admission());
    router.post(fileStreamPath).handler(bodyHandler(config)).handler(fileStream.ingest());
    router
        .route("/graphql")
        .handler(bodyHandler(config))
        .handler(GraphQlEndpoint.create(vertx, store, db, uploads));

    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            // W&B 0.30 may gzip its FileStream bodies; the body limit then counts inflated bytes
            .setDecompressionSupported(true)
            .setCompressionSupported(true);
    return ReadApi.create(vertx, store, db, files)
        .compose(
            api -> {
              router.route("/api/v1/*").subRouter(api);
              return vertx.createHttpServer(options).requestHandler(router).listen();
            })
        .onSuccess(
            listening -> {
              server = listening;
              port = listening.actualPort();
            });
  }

  @Override
  public Future<?> stop() {
    WebUi ui = webUi;
    if (ui != null) {
      ui.close();
    }
    return Future.succeededFuture();
  }

  private static BodyHandler bodyHandler(ServerConfig config) {
    return BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
  }

  /** The port the server listens on (the chosen one when configured with 0). */
  public int port() {
    return port;
  }

  /**
   * Stops accepting connections, lets requests in flight finish for at most {@code timeoutMillis},
   * then closes what is left.
   */
  public Future<Void> shutdown(long timeoutMillis) {
    HttpServer s = server;
    // open bridge sockets are not requests in flight: closed at once, the browsers reconnect
    if (bridge != null) {
      bridge.closeSockets();
    }
    return s == null ? Future.succeededFuture() : s.shutdown(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
