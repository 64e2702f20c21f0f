package dev.runbus.service.grpc;

import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import dev.runbus.proto.CloseStreamResponse;
import dev.runbus.proto.FinishCall;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.GetSummaryResponse;
import dev.runbus.proto.PollExitResponse;
import dev.runbus.proto.RunCall;
import dev.runbus.proto.RunServiceGrpcClient;
import dev.runbus.proto.RunStartResponse;
import dev.runbus.proto.SampledHistoryResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;

/**
 * A Java client of a runbus service's gRPC transport, on the stubs generated from {@code
 * service.proto}: every call carries the token in the metadata, and a call that ends with another
 * status than OK fails with a {@link GrpcCallException} holding the status and the service's
 * message. Keep it in a field while in use (Vert.x reclaims unreachable clients).
 */
public final class GrpcRunClient implements AutoCloseable {

  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress address;
  private final String authorization;

  private GrpcRunClient(Vertx vertx, GrpcClient client, SocketAddress address, String token) {
    this.vertx = vertx;
    this.client = client;
    this.address = address;
    this.authorization = token == null ? null : "Bearer " + token;
  }

  /**
   * @param token the service's token; null sends none (the service refuses every call)
   * @param trust the certificates to trust for TLS; null: plain TCP (h2c)
   */
  public static GrpcRunClient connect(
      Vertx vertx, String host, int port, String token, TrustOptions trust) {
    // HTTP/2 from the first byte: an h2c upgrade would send a call that is still streaming, the
    // first Publish, as HTTP/1.1, whose answer comes only once the call ends
    HttpClientOptions http =
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    if (trust != null) {
      http.setSsl(true).setUseAlpn(true).setTrustOptions(trust);
    }
    GrpcClient client =
        GrpcClient.client(
            vertx,
            new GrpcClientOptions().setMaxMessageSize(PublishWindow.MAX_BATCH_BYTES * 2L),
            http);
    return new GrpcRunClient(vertx, client, SocketAddress.inetSocketAddress(port, host), token);
  }

  public Future<AttachResponse> attach(AttachRequest request) {
    return unary(RunServiceGrpcClient.Attach, request);
  }

  public Future<RunStartResponse> runStart(String runId, int rank) {
    return unary(RunServiceGrpcClient.RunStart, call(runId, rank));
  }

  public Future<PollExitResponse> pollExit(String runId, int rank) {
    return unary(RunServiceGrpcClient.PollExit, call(runId, rank));
  }

  public Future<GetSummaryResponse> getSummary(String runId, int rank) {
    return unary(RunServiceGrpcClient.GetSummary, call(runId, rank));
  }

  public Future<SampledHistoryResponse> sampledHistory(String runId, int rank) {
    return unary(RunServiceGrpcClient.SampledHistory, call(runId, rank));
  }

  /** @param exitCode the rank's exit code, sent as its exit record; null: it published one */
  public Future<FinishResponse> finish(String runId, int rank, Integer exitCode) {
    FinishCall.Builder call = FinishCall.newBuilder().setRunId(runId).setRank(rank);
    if (exitCode != null) {
      call.setExitCode(exitCode);
    }
    return unary(RunServiceGrpcClient.Finish, call.build());
  }

  /** The primary is done with its finished run: its stream closes now. */
  public Future<CloseStreamResponse> closeRun(String runId, int rank) {
    return unary(RunServiceGrpcClient.Close, call(runId, rank));
  }

  /** Opens a Publish stream; see {@link GrpcPublisher}. */
  public Future<GrpcPublisher> publish(String runId, int rank, int window) {
    return client
        .request(address, RunServiceGrpcClient.Publish)
        .map(
            request -> {
              if (authorization != null) {
                request.headers().set(BearerToken.HEADER, authorization);
              }
              return new GrpcPublisher(vertx, request, runId, rank, window);
            });
  }

  private static RunCall call(String runId, int rank) {
    return RunCall.newBuilder().setRunId(runId).setRank(rank).build();
  }

  private <Q, S> Future<S> unary(ServiceMethod<S, Q> method, Q message) {
    return client
        .request(address, method)
        .compose(
            request -> {
              if (authorization != null) {
                request.headers().set(BearerToken.HEADER, authorization);
              }
              request.end(message);
              return request.response().compose(GrpcRunClient::single);
            });
  }

  /** The one message of a unary answer, or its status as a {@link GrpcCallException}. */
  static <S> Future<S> single(GrpcClientResponse<?, S> response) {
    Promise<S> answer = Promise.promise();
    Object[] last = new Object[1];
    response.handler(message -> last[0] = message);
    response.exceptionHandler(answer::tryFail);
    response.endHandler(
        v -> {
          if (response.status() == GrpcStatus.OK) {
            @SuppressWarnings("unchecked")
            S message = (S) last[0];
            answer.tryComplete(message);
          } else {
            answer.tryFail(new GrpcCallException(response.status(), statusMessage(response)));
          }
        });
    return answer.future();
  }

  /**
   * The status message of an ended call. Vert.x 5.0.7's client reads it only from a trailers-only
   * answer; after messages it is in the trailers, percent-encoded (gRPC's wire spec).
   */
  static String statusMessage(GrpcClientResponse<?, ?> response) {
    String message = response.statusMessage();
    if (message != null) {
      return message;
    }
    String encoded = response.trailers().get("grpc-message");
    return encoded == null ? null : percentDecoded(encoded);
  }

  static String percentDecoded(String encoded) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        int hi = Character.digit(encoded.charAt(i + 1), 16);
        int lo = Character.digit(encoded.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          bytes.write(hi << 4 | lo);
          i += 2;
          continue;
        }
      }
      bytes.write(c);
    }
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
  }

}
