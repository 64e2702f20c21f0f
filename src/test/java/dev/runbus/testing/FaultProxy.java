package dev.runbus.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on loopback between a client and a real server, that fails requests on command:
 * the faults a network and a struggling server give a client (500, 429 with Retry-After, a
 * connection dropped while the request or the response is under way, a stall). Requests with no
 * fault queued pass through unchanged. For the online client's fault tests.
 */
public final class FaultProxy implements AutoCloseable {

  /** What happens to one request. */
  public enum Fault {
    /** Forwarded; the server's answer comes back unchanged. */
    PASS,
    /** Answered 500 by the proxy; the server never sees it. */
    SERVER_ERROR,
    /** Answered 429 with {@code Retry-After: 1}; the server never sees it. */
    TOO_MANY_REQUESTS,
    /** The connection is closed once the request's first bytes arrive; the server never sees it. */
    DROP_REQUEST,
    /** Forwarded, then the connection is closed before the answer's body: the server did see it. */
    DROP_RESPONSE,
    /** Held for the stall time, then forwarded. */
    STALL,
    /** Answered 401, as a server answers a revoked key; the server never sees it. */
    UNAUTHORIZED
  }

  /** A fault for the next request whose URI contains {@code pathPart} ("" for any request). */
  private record Planned(Fault fault, String pathPart) {}

  private final Vertx vertx;
  private final HttpServer server;
  private final HttpClient client;
  private final int targetPort;
  private final long stallMillis;
  private final Deque<Planned> faults = new ArrayDeque<>();
  private final List<String> requests = new ArrayList<>();
  private final List<String[]> forwardedBodies = new ArrayList<>();
  private volatile java.util.function.UnaryOperator<Buffer> answerEdit = java.util.function.UnaryOperator.identity();
  private volatile long holdUntilNanos;
  private final AtomicLong seen = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();

  private FaultProxy(Vertx vertx, HttpServer server, HttpClient client, int targetPort, long stallMillis) {
    this.vertx = vertx;
    this.server = server;
    this.client = client;
    this.targetPort = targetPort;
    this.stallMillis = stallMillis;
  }

  /** A proxy on a free loopback port forwarding to {@code 127.0.0.1:targetPort}. */
  public static FaultProxy start(Vertx vertx, int targetPort, long stallMillis) {
    HttpClient client = vertx.createHttpClient();
    HttpServer server = vertx.createHttpServer();
    FaultProxy proxy = new FaultProxy(vertx, server, client, targetPort, stallMillis);
    server.requestHandler(proxy::handle);
    try {
      server.listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the fault proxy could not listen", e);
    }
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  /** Applies {@code fault} to the next {@code times} requests (after those already queued). */
  public synchronized FaultProxy next(Fault fault, int times) {
    return nextOn("", fault, times);
  }

  /**
   * Applies {@code fault} to the next {@code times} requests whose URI contains {@code pathPart}
   * (e.g. {@code "/file_stream"}); other requests pass them by.
   */
  public synchronized FaultProxy nextOn(String pathPart, Fault fault, int times) {
    for (int i = 0; i < times; i++) {
      faults.addLast(new Planned(fault, pathPart));
    }
    return this;
  }

  /**
   * A server that stops answering for {@code millis}: every request that arrives until then is
   * held and forwarded when the time is up (a request's own fault still applies then).
   */
  public FaultProxy holdFor(long millis) {
    holdUntilNanos = System.nanoTime() + millis * 1_000_000;
    return this;
  }

  /** Forgets the faults no request has taken, so they cannot hit the next test's requests. */
  public synchronized void clear() {
    faults.clear();
    holdUntilNanos = 0;
  }

  /** Faults queued that no request has taken yet. */
  public synchronized int pending() {
    return faults.size();
  }

  /** Requests that reached the proxy and whose URI contains {@code pathPart}. */
  public synchronized long seen(String pathPart) {
    return requests.stream().filter(r -> r.contains(pathPart)).count();
  }

  /** Every request that reached the proxy so far, as {@code "METHOD uri"}. */
  public synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  /** The bodies of the forwarded requests whose URI contains {@code pathPart}, in order. */
  public synchronized List<String> bodies(String pathPart) {
    return forwardedBodies.stream().filter(b -> b[0].contains(pathPart)).map(b -> b[1]).toList();
  }

  /** Edits the body of every forwarded answer from now on (e.g. to play a server's limits). */
  public FaultProxy editAnswers(java.util.function.UnaryOperator<Buffer> edit) {
    answerEdit = edit;
    return this;
  }

  private synchronized void recordBody(String uri, Buffer body) {
    forwardedBodies.add(new String[] {uri, body.toString()});
  }

  /** Requests that reached the proxy. */
  public long seen() {
    return seen.get();
  }

  /** Requests passed on to the server. */
  public long forwarded() {
    return forwarded.get();
  }

  private synchronized Fault take(HttpServerRequest request) {
    requests.add(request.method() + " " + request.uri());
    for (Iterator<Planned> it = faults.iterator(); it.hasNext(); ) {
      Planned planned = it.next();
      if (request.uri().contains(planned.pathPart())) {
        it.remove();
        return planned.fault();
      }
    }
    return Fault.PASS;
  }

  private void handle(HttpServerRequest request) {
    seen.incrementAndGet();
    long held = holdUntilNanos - System.nanoTime();
    if (held > 0) {
      request.pause();
      vertx.setTimer(Math.max(1, held / 1_000_000), id -> apply(request));
      return;
    }
    apply(request);
  }

  private void apply(HttpServerRequest request) {
    request.resume(); // a held request was paused; a STALL pauses it again
    switch (take(request)) {
      case SERVER_ERROR -> request.response().setStatusCode(500).end("injected failure");
      case TOO_MANY_REQUESTS ->
          request.response().setStatusCode(429).putHeader("Retry-After", "1").end("slow down");
      case UNAUTHORIZED ->
          request.response().setStatusCode(401).end("{\"errors\": [{\"message\": \"invalid api key\"}]}");
      case DROP_REQUEST -> request.connection().close();
      case STALL -> {
        request.pause();
        vertx.setTimer(stallMillis, id -> forward(request, false));
      }
      case DROP_RESPONSE -> forward(request, true);
      case PASS -> forward(request, false);
    }
  }

  private void forward(HttpServerRequest request, boolean dropAnswer) {
    request.resume();
    request
        .body()
        .compose(
            body -> {
              recordBody(request.uri(), body);
              return send(request, body);
            })
        .onSuccess(
            answer -> {
              if (dropAnswer) {
                request.connection().close();
                return;
              }
              var response = request.response().setStatusCode(answer.status);
              answer.headers.forEach(response::putHeader);
              response.end(answerEdit.apply(answer.body));
            })
        .onFailure(e -> request.response().setStatusCode(502).end("proxy: " + e.getMessage()));
  }

  private record Answer(int status, io.vertx.core.MultiMap headers, Buffer body) {}

  private Future<Answer> send(HttpServerRequest request, Buffer body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(request.method())
            .setHost("127.0.0.1")
            .setPort(targetPort)
            .setURI(request.uri());
    options.setHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
    options.removeHeader("Content-Length");
    options.removeHeader("Transfer-Encoding");
    return client
        .request(options)
        .compose(r -> r.send(body))
        .compose(
            response -> {
              forwarded.incrementAndGet();
              return response
                  .body()
                  .map(
                      bytes -> {
                        var headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(response.headers());
                        headers.remove("Content-Length").remove("Transfer-Encoding");
                        return new Answer(response.statusCode(), headers, bytes);
                      });
            });
  }

  @Override
  public void close() {
    server.close().await();
    client.close().await();
  }
}
