package dev.runbus.server.api;

import dev.runbus.server.Viewer;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.User;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A request the OpenAPI validator has passed, with its parameters read the way the contract
 * means them. The validator does not apply the contract's defaults, so every optional parameter
 * is read with its default here.
 */
final class ApiRequest {
  final RoutingContext rc;
  final User viewer;
  private final ValidatedRequest validated;

  private ApiRequest(RoutingContext rc, User viewer, ValidatedRequest validated) {
    this.rc = rc;
    this.viewer = viewer;
    this.validated = validated;
  }

  static ApiRequest of(RoutingContext rc) {
    ValidatedRequest v = rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    if (v == null) {
      throw new IllegalStateException("request not validated: " + rc.request().path());
    }
    return new ApiRequest(rc, Viewer.of(rc), v);
  }

  String path(String name) {
    return validated.getPathParameters().get(name).getString();
  }

  RunKey runKey() {
    return new RunKey(path("entity"), path("project"), path("run"));
  }

  boolean has(String name) {
    return given(name) != null;
  }

  /** A query string parameter, or null when absent. */
  String query(String name) {
    RequestParameter p = given(name);
    return p == null ? null : p.getString();
  }

  long query(String name, long absent) {
    RequestParameter p = given(name);
    return p == null ? absent : p.getLong();
  }

  int query(String name, int absent) {
    RequestParameter p = given(name);
    return p == null ? absent : p.getInteger();
  }

  /** A repeated query parameter ({@code keys=a&keys=b}); empty when absent. */
  List<String> queryList(String name) {
    RequestParameter p = given(name);
    if (p == null) {
      return List.of();
    }
    if (!p.isJsonArray()) {
      return List.of(p.getString());
    }
    JsonArray a = p.getJsonArray();
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(a.getString(i));
    }
    return out;
  }

  /** The query parameter, or null when it is absent or empty. */
  private RequestParameter given(String name) {
    RequestParameter p = validated.getQuery().get(name);
    return p == null || p.isNull() || p.isEmpty() ? null : p;
  }
}
