package dev.runbus.sender;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * W&B's GraphQL transport: {@code POST {base}/graphql} with {@code {"query", "variables",
 * "operationName"}}, Basic auth {@code api:<key>}, runbus's User-Agent, a timeout per attempt, and
 * retries as {@link RetryingRequests} does them. An answer with {@code errors} and no data is a
 * {@link ServerRefusal} carrying the first error's message.
 */
final class GraphQlClient {

  private final WebClient web;
  private final ServerCredentials server;
  private final RetryingRequests retrying;
  private final long timeoutMillis;
  private final String userAgent;

  GraphQlClient(
      WebClient web,
      ServerCredentials server,
      RetryingRequests retrying,
      long timeoutMillis,
      String userAgent) {
    this.web = web;
    this.server = server;
    this.retrying = retrying;
    this.timeoutMillis = timeoutMillis;
    this.userAgent = userAgent;
  }

  /** The answer's {@code data}, after as many attempts as it takes (at most {@code maxAttempts}). */
  Future<JsonObject> call(
      String operation,
      String document,
      JsonObject variables,
      int maxAttempts,
      RetryingRequests.FailedAttempts listener) {
    JsonObject body =
        new JsonObject()
            .put("query", document)
            .put("variables", variables)
            .put("operationName", operation);
    String url = Urls.join(server.baseUrl().toString(), "/graphql");
    return retrying
        .send(
            operation,
            maxAttempts,
            () ->
                web.postAbs(url)
                    .putHeader("Authorization", server.authorization())
                    .putHeader("User-Agent", userAgent)
                    .putHeader("Content-Type", "application/json")
                    .timeout(timeoutMillis)
                    .sendBuffer(body.toBuffer()),
            listener)
        .compose(
            response -> {
              JsonObject answer;
              try {
                answer = response.bodyAsJsonObject();
              } catch (RuntimeException e) {
                return Future.failedFuture(
                    new ServerRefusal(
                        ServerRefusal.GRAPHQL_ERROR,
                        retrying.server(),
                        operation + " answered with something other than JSON"));
              }
              JsonObject data = answer == null ? null : answer.getJsonObject("data");
              JsonArray errors = answer == null ? null : answer.getJsonArray("errors");
              if (errors != null && !errors.isEmpty() && !hasAnyData(data)) {
                return Future.failedFuture(
                    new ServerRefusal(
                        ServerRefusal.GRAPHQL_ERROR,
                        retrying.server(),
                        operation + ": " + RetryingRequests.reasonOf(response)));
              }
              return Future.succeededFuture(data == null ? new JsonObject() : data);
            });
  }

  private static boolean hasAnyData(JsonObject data) {
    if (data == null) {
      return false;
    }
    for (String field : data.fieldNames()) {
      if (data.getValue(field) != null) {
        return true;
      }
    }
    return false;
  }
}
