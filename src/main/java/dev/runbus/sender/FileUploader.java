package dev.runbus.sender;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Uploads run files as W&B's clients do (§5.6): one {@code CreateRunFiles} for the batch, then a
 * {@code PUT} of each file's bytes to its URL with the {@code uploadHeaders}, streamed from disk
 * (never whole in memory) and without the key (the URL is signed). A file the answer gives no URL
 * is one the server already has (W&B's dedupe) and counts as done.
 */
final class FileUploader {

  private final Vertx vertx;
  private final WebClient web;
  private final ServerCredentials server;
  private final GraphQlClient graphql;
  private final RetryingRequests retrying;
  private final long timeoutMillis;
  private final String userAgent;

  FileUploader(
      Vertx vertx,
      WebClient web,
      ServerCredentials server,
      GraphQlClient graphql,
      RetryingRequests retrying,
      long timeoutMillis,
      String userAgent) {
    this.vertx = vertx;
    this.web = web;
    this.server = server;
    this.graphql = graphql;
    this.retrying = retrying;
    this.timeoutMillis = timeoutMillis;
    this.userAgent = userAgent;
  }

  /** Uploads {@code files} one after another; {@code done} hears of each as it lands. */
  Future<Void> upload(UpsertedRun run, List<RunFile> files, Consumer<RunFile> done) {
    if (files.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonArray names = new JsonArray();
    files.forEach(f -> names.add(f.name()));
    JsonObject variables =
        new JsonObject()
            .put("entity", run.entity())
            .put("project", run.project())
            .put("run", run.name())
            .put("files", names);
    return graphql
        .call(
            "CreateRunFiles",
            Documents.CREATE_RUN_FILES,
            variables,
            Integer.MAX_VALUE,
            RetryingRequests.FailedAttempts.NONE)
        .compose(data -> putAll(data, files, done));
  }

  private Future<Void> putAll(JsonObject data, List<RunFile> files, Consumer<RunFile> done) {
    JsonObject answer = data.getJsonObject("createRunFiles", new JsonObject());
    List<String> headers = new ArrayList<>();
    JsonArray headerList = answer.getJsonArray("uploadHeaders", new JsonArray());
    for (Object h : headerList) {
      headers.add(String.valueOf(h));
    }
    Map<String, String> urls = new HashMap<>();
    for (Object f : answer.getJsonArray("files", new JsonArray())) {
      if (f instanceof JsonObject file && file.getString("name") != null) {
        urls.put(file.getString("name"), file.getString("uploadUrl"));
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (RunFile file : files) {
      chain =
          chain.compose(
              v -> {
                String url = urls.get(file.name());
                Future<Void> put =
                    url == null
                        ? Future.succeededFuture()
                        : put(Urls.upload(server.baseUrl(), url), file, headers);
                return put.onSuccess(ok -> done.accept(file));
              });
    }
    return chain;
  }

  private Future<Void> put(String url, RunFile file, List<String> headers) {
    return retrying
        .send(
            "PUT " + file.name(),
            Integer.MAX_VALUE,
            () ->
                vertx
                    .fileSystem()
                    .open(file.path().toString(), new OpenOptions().setRead(true))
                    .compose(opened -> send(url, file, headers, opened)),
            RetryingRequests.FailedAttempts.NONE)
        .mapEmpty();
  }

  private Future<HttpResponse<Buffer>> send(
      String url, RunFile file, List<String> headers, AsyncFile opened) {
    HttpRequest<Buffer> request =
        web.putAbs(url)
            .putHeader("User-Agent", userAgent)
            .putHeader("Content-Length", Long.toString(file.size()))
            // a large file may take long; only a connection that stops moving is given up on
            .idleTimeout(timeoutMillis);
    for (String header : headers) {
      int colon = header.indexOf(':');
      if (colon > 0) {
        request.putHeader(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
      }
    }
    // a file that grew since it was listed sends what was listed: the size the server was told
    opened.setReadLength(file.size());
    return request.sendStream(opened).eventually(() -> opened.close().recover(e -> Future.succeededFuture()));
  }
}
