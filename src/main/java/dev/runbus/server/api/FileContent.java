package dev.runbus.server.api;

import dev.runbus.server.store.NotFoundException;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.MimeMapping;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's file, streamed from the data directory with backpressure (the file is piped into the
 * response). The bytes are a client's, so the answer forbids sniffing and runs any HTML it holds
 * in a sandbox, away from the API's origin.
 */
final class FileContent {
  private final ReadContext ctx;

  FileContent(ReadContext ctx) {
    this.ctx = ctx;
  }

  private record Found(Path path, long size) {}

  void handle(ApiRequest req) {
    RunKey key = req.runKey();
    String name = req.query("name");
    ctx.blocking(() -> {
          RunInfo run = ctx.run(req.viewer, key);
          Path path = ctx.files.pathOf(run.id(), name); // refuses unsafe names (400)
          if (ctx.store.files().find(run.id(), name).isEmpty() || !Files.isRegularFile(path)) {
            throw new NotFoundException("no such file: " + name);
          }
          return new Found(path, Files.size(path));
        })
        .compose(found -> ctx.vertx.fileSystem()
            .open(found.path.toString(), new OpenOptions().setRead(true).setWrite(false))
            .map(file -> {
              send(req, file, found.size, name);
              return file;
            }))
        .onFailure(failure -> Answers.fail(req.rc, failure));
  }

  private static void send(ApiRequest req, AsyncFile file, long size, String name) {
    String type = MimeMapping.mimeTypeForFilename(name);
    if (type == null) {
      type = "application/octet-stream";
    } else if (type.startsWith("text/") || type.equals("application/json")) {
      type += "; charset=utf-8";
    }
    HttpServerResponse response = req.rc.response();
    response
        .putHeader("Content-Type", type)
        .putHeader("Content-Length", Long.toString(size))
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "sandbox");
    file.pipeTo(response);
  }
}
