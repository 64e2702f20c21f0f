package dev.runbus.server.e2e;

import dev.runbus.testing.Gzip;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A client that sends what W&B's Python clients send, in their shapes: GraphQL documents as v0.16
 * writes them (with a {@code variables} object) or as wandb-core writes them (operationName, no
 * {@code variables} key when there are none, gzip FileStream bodies), FileStream posts, and
 * {@code PUT}s to signed upload URLs without a key. Calls block (tests run off event loops).
 */
final class WandbShapedClient implements AutoCloseable {
  private final Vertx vertx;
  private final WebClient web;
  private final String baseUrl;
  private final String authorization;

  WandbShapedClient(String baseUrl, String apiKey) {
    this.vertx = Vertx.vertx();
    this.web = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(32));
    this.baseUrl = baseUrl;
    this.authorization =
        "Basic "
            + Base64.getEncoder().encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
  }

  static String document(String name) {
    try (InputStream in = WandbShapedClient.class.getResourceAsStream("/wandb-graphql/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test document " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** v0.16's shape: {@code {"query": …, "variables": {…}}}; returns the whole answer. */
  JsonObject graphqlPython(String documentName, JsonObject variables) {
    JsonObject body =
        new JsonObject()
            .put("query", document(documentName))
            .put("variables", variables == null ? new JsonObject() : variables);
    return json(post("/graphql", body.toBuffer(), false));
  }

  /** wandb-core's shape: operationName, and no variables key when there are none. */
  JsonObject graphqlCore(String documentName, String operation, JsonObject variables) {
    JsonObject body =
        new JsonObject().put("query", document(documentName)).put("operationName", operation);
    if (variables != null) {
      body.put("variables", variables);
    }
    return json(post("/graphql", body.toBuffer(), false));
  }

  /** UpsertBucket with every variable W&B sends (null unless given) in v0.16's document. */
  JsonObject upsertRun(String entity, String project, String name, JsonObject extra) {
    JsonObject v = new JsonObject();
    for (String n :
        List.of(
            "id", "groupName", "description", "displayName", "notes", "commit", "config", "host",
            "debug", "program", "repo", "jobType", "state", "sweep", "tags", "summaryMetrics")) {
      v.putNull(n);
    }
    v.put("entity", entity).put("project", project).put("name", name);
    if (extra != null) {
      v.mergeIn(extra);
    }
    return graphqlPython("upsert-bucket-016.graphql", v);
  }

  /** v0.16's RunUploadUrls: the signed URL of each file, by name. */
  JsonObject uploadUrls(String entity, String project, String run, List<String> files) {
    JsonObject answer =
        graphqlPython(
            "run-upload-urls-016.graphql",
            new JsonObject()
                .put("name", project)
                .put("entity", entity)
                .put("run", run)
                .put("files", new JsonArray(files))
                .putNull("description"));
    JsonObject urls = new JsonObject();
    JsonArray edges = answer.getJsonObject("data").getJsonObject("model").getJsonObject("bucket")
        .getJsonObject("files").getJsonArray("edges");
    for (int i = 0; i < edges.size(); i++) {
      JsonObject node = edges.getJsonObject(i).getJsonObject("node");
      urls.put(node.getString("name"), node.getString("url"));
    }
    return urls;
  }

  /** A PUT to a signed URL, without the key, as W&B's clients upload to cloud storage. */
  HttpResponse<Buffer> put(String url, byte[] bytes) {
    return web.putAbs(url).sendBuffer(Buffer.buffer(bytes)).await();
  }

  /** A FileStream post; {@code gzip} as wandb-core sends it when the server offers it. */
  HttpResponse<Buffer> fileStream(
      String entity, String project, String run, JsonObject body, boolean gzip) {
    String path = "/files/" + entity + "/" + project + "/" + run + "/file_stream";
    return post(path, body.toBuffer(), gzip);
  }

  /** A GET of the read API. */
  HttpResponse<Buffer> get(String path) {
    return web.getAbs(baseUrl + path).putHeader("Authorization", authorization).send().await();
  }

  HttpResponse<Buffer> post(String path, Buffer body, boolean gzip) {
    var request =
        web.postAbs(baseUrl + path)
            .putHeader("Authorization", authorization)
            .putHeader("Content-Type", "application/json");
    if (gzip) {
      request.putHeader("Content-Encoding", "gzip");
      return request.sendBuffer(Buffer.buffer(Gzip.of(body.getBytes()))).await();
    }
    return request.sendBuffer(body).await();
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      throw new AssertionError("GraphQL answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  @Override
  public void close() {
    web.close();
    vertx.close().await();
  }
}
