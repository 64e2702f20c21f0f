package dev.runbus.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The few requests of W&B's wire protocol the benchmark makes, in the shapes W&B's clients send:
 * UpsertBucket over GraphQL, FileStream posts, reads of the read API. The JDK's HTTP client keeps
 * the benchmark free of the server's own libraries, as a foreign client would be.
 */
final class WandbWire {
  static final String UPSERT_BUCKET =
      "mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String,"
          + " $config: JSONString) {\n"
          + "  upsertBucket(input: {id: $id, name: $name, modelName: $project, entityName: $entity,"
          + " config: $config}) {\n"
          + "    bucket { id name displayName project { id name entity { id name } } }\n"
          + "    inserted\n  }\n}\n";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final String baseUrl;
  private final String authorization;

  WandbWire(String baseUrl, String apiKey) {
    // HTTP/1.1 as W&B's clients speak it (Python requests, Go net/http on http://): the JDK's
    // default would upgrade to cleartext HTTP/2, which costs the server more than W&B's traffic
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
  }

  /** Creates the run; returns the entity the server put it in. */
  String upsertRun(String project, String name) {
    ObjectNode variables = JSON.createObjectNode();
    variables.put("name", name).put("project", project).putNull("entity");
    variables.put("config", "{\"bench\":{\"value\":true}}");
    ObjectNode body = JSON.createObjectNode();
    body.put("query", UPSERT_BUCKET);
    body.set("variables", variables);
    JsonNode answer = send(post("/graphql", bytes(body)), "UpsertBucket");
    JsonNode entity = answer.at("/data/upsertBucket/bucket/project/entity/name");
    if (entity.isMissingNode() || entity.isNull()) {
      throw new IllegalStateException("UpsertBucket answered without an entity: " + answer);
    }
    return entity.asText();
  }

  static byte[] completePost(int exitCode) {
    return ("{\"complete\":true,\"exitcode\":" + exitCode + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** Posts to a run's FileStream; fails on any status but 200. */
  void fileStream(String entity, String project, String run, byte[] body) {
    String path = "/files/" + entity + "/" + project + "/" + run + "/file_stream";
    send(post(path, body), "file_stream");
  }

  /** A GET of the read API, answered as text. */
  String get(String pathAndQuery) {
    HttpResponse<String> response =
        exchange(getRequest(pathAndQuery), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** A GET whose body is read as a stream of lines and counted; returns the lines. */
  long countLines(String pathAndQuery) {
    HttpResponse<java.util.stream.Stream<String>> response =
        exchange(getRequest(pathAndQuery), HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + pathAndQuery + " answered " + response.statusCode());
    }
    try (var lines = response.body()) {
      return lines.count();
    }
  }

  private HttpRequest post(String path, byte[] body) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofMinutes(2))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private HttpRequest getRequest(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .header("Authorization", authorization)
        .timeout(Duration.ofMinutes(5))
        .GET()
        .build();
  }

  private JsonNode send(HttpRequest request, String what) {
    HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          what + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(what + " answered something that is not JSON", e);
    }
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
