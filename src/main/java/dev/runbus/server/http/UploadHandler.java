package dev.runbus.server.http;

import dev.runbus.server.RunFileStorage;
import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.RunFiles;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;

/**
 * {@code PUT /files/upload/<run id>?name=&expires=&sig=}: no API key, the signature is the
 * permission. The body streams to a temporary file beside its target (never whole in memory), is
 * counted against the upload limit as it comes, and only a complete body is moved into place, in
 * one rename, and recorded with its size and MD5.
 */
public final class UploadHandler implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final UploadSigner signer;
  private final RunFileStorage storage;
  private final RunFiles files;
  private final WorkerExecutor db;
  private final long maxUploadBytes;
  private final Clock clock;

  public UploadHandler(
      Vertx vertx,
      UploadSigner signer,
      RunFileStorage storage,
      RunFiles files,
      WorkerExecutor db,
      long maxUploadBytes,
      Clock clock) {
    this.vertx = vertx;
    this.signer = signer;
    this.storage = storage;
    this.files = files;
    this.db = db;
    this.maxUploadBytes = maxUploadBytes;
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    request.pause();
    String name = request.getParam("name");
    String expiresText = request.getParam("expires");
    String signature = request.getParam("sig");
    long runId;
    long expires;
    try {
      runId = Long.parseLong(rc.pathParam("runId"));
      expires = Long.parseLong(expiresText == null ? "" : expiresText);
    } catch (NumberFormatException e) {
      refuse(rc, 403, "invalid upload URL");
      return;
    }
    if (name == null || signature == null || !signer.verify(runId, name, expires, signature)) {
      refuse(rc, 403, "invalid upload signature");
      return;
    }
    if (clock.instant().getEpochSecond() > expires) {
      refuse(rc, 403, "upload URL expired: ask for a new one");
      return;
    }
    Path target;
    try {
      target = storage.pathOf(runId, name);
    } catch (BadInputException e) {
      refuse(rc, 400, e.getMessage());
      return;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null
        && length.trim().matches("\\d{1,19}")
        && Long.parseLong(length.trim()) > maxUploadBytes) {
      refuse(rc, 413, tooLarge());
      return;
    }
    Path tmp = target.resolveSibling(".upload-" + UUID.randomUUID() + ".part");
    vertx
        .fileSystem()
        .mkdirs(target.getParent().toString())
        .compose(
            made ->
                vertx
                    .fileSystem()
                    .open(tmp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
        .onSuccess(file -> new Transfer(rc, file, tmp, target, runId, name).start())
        .onFailure(rc::fail);
  }

  private String tooLarge() {
    return "file larger than this server accepts (" + maxUploadBytes + " bytes)";
  }

  /** Answers before the body is read: the connection closes rather than read a body for nothing. */
  private static void refuse(RoutingContext rc, int status, String message) {
    rc.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(new JsonObject().put("error", message).encode());
  }

  /** One body on its way to disk. Lives on the request's event loop. */
  private final class Transfer {
    private final RoutingContext rc;
    private final HttpServerRequest request;
    private final AsyncFile file;
    private final Path tmp;
    private final Path target;
    private final long runId;
    private final String name;
    private final MessageDigest md5;
    private long size;
    private boolean over;
    private boolean abandoned;

    Transfer(RoutingContext rc, AsyncFile file, Path tmp, Path target, long runId, String name) {
      this.rc = rc;
      this.request = rc.request();
      this.file = file;
      this.tmp = tmp;
      this.target = target;
      this.runId = runId;
      this.name = name;
      try {
        this.md5 = MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("MD5 is missing from this JVM", e);
      }
    }

    void start() {
      request.handler(this::chunk);
      request.exceptionHandler(
          e -> {
            over = true;
            abandon();
          });
      request.endHandler(v -> finish());
      request.resume();
    }

    private void chunk(Buffer data) {
      if (over) {
        return;
      }
      size += data.length();
      if (size > maxUploadBytes) {
        over = true;
        abandon();
        refuse(rc, 413, tooLarge());
        return;
      }
      md5.update(data.getBytes());
      file.write(data);
      if (file.writeQueueFull()) {
        request.pause();
        file.drainHandler(v -> request.resume());
      }
    }

    private void finish() {
      if (over) {
        return;
      }
      String digest = Base64.getEncoder().encodeToString(md5.digest());
      long bytes = size;
      file.flush()
          .compose(v -> file.close())
          .compose(
              v ->
                  db.executeBlocking(
                      () -> {
                        Files.move(
                            tmp,
                            target,
                            StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                        files.recordUpload(runId, name, bytes, digest);
                        return null;
                      },
                      false))
          .onSuccess(v -> rc.response().setStatusCode(200).end())
          .onFailure(
              e -> {
                deleteTmp();
                rc.fail(e);
              });
    }

    /** The body will not be stored: its partial file goes. */
    private void abandon() {
      if (abandoned) {
        return;
      }
      abandoned = true;
      file.close().onComplete(closed -> deleteTmp());
    }

    private void deleteTmp() {
      // gone already when the move succeeded halfway or the file was never written: nothing to do
      vertx.fileSystem().delete(tmp.toString()).otherwiseEmpty();
    }
  }
}
