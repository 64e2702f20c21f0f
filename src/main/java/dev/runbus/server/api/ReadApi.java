package dev.runbus.server.api;

import dev.runbus.server.RunFileStorage;
import dev.runbus.server.store.ServerStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.function.Consumer;

/**
 * The read API, {@code /api/v1/*}: the router the server verticle mounts there, auth in front.
 * Requests are checked against the OpenAPI document {@value #CONTRACT} before any handler runs
 * (a bad parameter is a 400 naming it); handlers read the store on the database worker.
 *
 * <p>Mount the router at exactly {@code /api/v1}: the validator reads path parameters by their
 * place in the full request path, which the document's server URL ({@code …/api/v1}) accounts for.
 */
public final class ReadApi {
  /** The OpenAPI document, on the class path. */
  public static final String CONTRACT = "openapi/runbus.yaml";

  private ReadApi() {}

  public static Future<Router> create(
      Vertx vertx, ServerStore store, WorkerExecutor db, RunFileStorage files) {
    ReadContext ctx = new ReadContext(vertx, store, db, files);
    return OpenAPIContract.from(vertx, CONTRACT).map(contract -> router(vertx, contract, ctx));
  }

  private static Router router(Vertx vertx, OpenAPIContract contract, ReadContext ctx) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract);
    builder.rootHandler(ReadApi::refuseBareSemicolons);
    EntityEndpoints entities = new EntityEndpoints(ctx);
    RunEndpoints runs = new RunEndpoints(ctx);
    RunDataEndpoints data = new RunDataEndpoints(ctx);
    HistoryStream history = new HistoryStream(ctx);
    FileContent file = new FileContent(ctx);
    on(builder, "listEntities", entities::entities);
    on(builder, "listProjects", entities::projects);
    on(builder, "listRuns", runs::list);
    on(builder, "projectKeys", runs::keys);
    on(builder, "getRun", runs::get);
    on(builder, "stopRun", runs::stop);
    on(builder, "listFiles", runs::files);
    on(builder, "listAlerts", runs::alerts);
    on(builder, "fileContent", file::handle);
    on(builder, "history", req -> {
      if (req.has("samples")) {
        data.sampledHistory(req);
      } else {
        history.handle(req);
      }
    });
    on(builder, "historyKeys", data::historyKeys);
    on(builder, "console", data::console);
    on(builder, "systemMetrics", data::events);
    Router router = builder.createRouter();
    // anything the document does not name: a JSON 404 here, rather than the parent's page
    router.route().last().handler(rc -> Answers.error(rc, 404, "no such endpoint"));
    return router;
  }

  /**
   * Vert.x splits a query string at {@code ;} as well as {@code &}, so {@code keys=a;b} would
   * quietly become {@code keys=a}; a bare {@code ;} is refused instead ({@code %3B} is a
   * semicolon in a value).
   */
  private static void refuseBareSemicolons(io.vertx.ext.web.RoutingContext rc) {
    String query = rc.request().query();
    if (query != null && query.indexOf(';') >= 0) {
      Answers.error(rc, 400, "a ';' in the query string must be written %3B");
    } else {
      rc.next();
    }
  }

  private static void on(RouterBuilder builder, String operationId, Consumer<ApiRequest> endpoint) {
    OpenAPIRoute route = builder.getRoute(operationId);
    // the server's Basic auth runs before this router; the document's security scheme says so
    route.setDoSecurity(false);
    Handler<io.vertx.ext.web.RoutingContext> handler = rc -> endpoint.accept(ApiRequest.of(rc));
    route.addHandler(handler).addFailureHandler(Answers.failureHandler());
  }
}
