package dev.runbus.service.grpc;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import dev.runbus.proto.FinishCall;
import dev.runbus.proto.FinishRequest;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.GetSummaryRequest;
import dev.runbus.proto.GetSummaryResponse;
import dev.runbus.proto.PollExitRequest;
import dev.runbus.proto.PollExitResponse;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.proto.Response;
import dev.runbus.proto.Result;
import dev.runbus.proto.RunCall;
import dev.runbus.proto.RunExitRecord;
import dev.runbus.proto.RunStartRequest;
import dev.runbus.proto.RunStartResponse;
import dev.runbus.proto.SampledHistoryRequest;
import dev.runbus.proto.SampledHistoryResponse;
import dev.runbus.proto.CloseStreamRequest;
import dev.runbus.proto.CloseStreamResponse;
import dev.runbus.proto.Control;
import dev.runbus.service.ServiceContext;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.StatusException;
import java.util.function.BiFunction;

/**
 * The unary calls: Attach goes to {@code RunHost.attach}, the others are requests on the run's
 * ingest address with the rank's header, as a local client asks its Handler. Every call's token
 * is checked first; every failure becomes a status through {@link GrpcFailures}.
 */
final class RunCalls {

  /** How long an online run's finish may wait for its upload, on top of the pipeline's timeout. */
  private static final long FINISH_UPLOAD_MS = 10 * 60_000L;

  private final EventBus bus;
  private final ServiceContext service;

  RunCalls(EventBus bus, ServiceContext service) {
    this.bus = bus;
    this.service = service;
  }

  /**
   * Serves one unary call: checks its token, reads its message, answers with what {@code call}
   * gives (the presented token is its second argument).
   */
  <Q, S> void serve(GrpcServerRequest<Q, S> request, BiFunction<Q, String, Future<S>> call) {
    String token;
    try {
      token = BearerToken.check(service.token(), request.headers().get(BearerToken.HEADER));
    } catch (ServiceException refused) {
      request.response().fail(GrpcFailures.of(refused, ""));
      return;
    }
    request.invalidMessageHandler(
        invalid ->
            request
                .response()
                .fail(
                    GrpcFailures.of(
                        new ServiceException(
                            ServiceStatus.INVALID_ARGUMENT,
                            "not a " + request.methodName() + " message: " + invalid.getMessage()),
                        "")));
    request.handler(
        message -> {
          Future<S> answer;
          try {
            answer = call.apply(message, token);
          } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
          }
          answer.onComplete(
              (result, failure) -> {
                if (failure == null) {
                  request.response().end(result);
                } else {
                  request.response().fail(failure instanceof StatusException s
                      ? s
                      : GrpcFailures.of(failure, ""));
                }
              });
        });
  }

  Future<AttachResponse> attach(AttachRequest request, String token) {
    AttachRequest withToken =
        request.getToken().isEmpty() ? request.toBuilder().setToken(token).build() : request;
    return service
        .host()
        .attach(withToken)
        .recover(e -> Future.failedFuture(GrpcFailures.of(e, request.getRunId())));
  }

  Future<RunStartResponse> runStart(RunCall call, String token) {
    return ask(call.getRunId(), call.getRank(), request(Request.newBuilder()
            .setRunStart(RunStartRequest.getDefaultInstance())), Bus.protobuf())
        .map(Response::getRunStartResponse);
  }

  Future<PollExitResponse> pollExit(RunCall call, String token) {
    return ask(call.getRunId(), call.getRank(), request(Request.newBuilder()
            .setPollExit(PollExitRequest.getDefaultInstance())), Bus.protobuf())
        .map(Response::getPollExitResponse);
  }

  Future<GetSummaryResponse> getSummary(RunCall call, String token) {
    return ask(call.getRunId(), call.getRank(), request(Request.newBuilder()
            .setGetSummary(GetSummaryRequest.getDefaultInstance())), Bus.protobuf())
        .map(Response::getGetSummaryResponse);
  }

  Future<SampledHistoryResponse> sampledHistory(RunCall call, String token) {
    return ask(call.getRunId(), call.getRank(), request(Request.newBuilder()
            .setSampledHistory(SampledHistoryRequest.getDefaultInstance())), Bus.protobuf())
        .map(Response::getSampledHistoryResponse);
  }

  /** The rank's exit record first (when the call has an exit code), then the finish drain. */
  Future<FinishResponse> finish(FinishCall call, String token) {
    String runId = call.getRunId();
    int rank = call.getRank();
    Future<?> exit = Future.succeededFuture();
    if (call.hasExitCode()) {
      try {
        check(runId, rank);
      } catch (ServiceException e) {
        return Future.failedFuture(GrpcFailures.of(e, runId));
      }
      RecordBatch batch =
          RecordBatch.newBuilder()
              .addRecord(
                  Record.newBuilder()
                      .setExit(RunExitRecord.newBuilder().setExitCode(call.getExitCode()))
                      .setControl(Control.newBuilder().setAlwaysSend(true)))
              .build();
      exit =
          bus.request(Addresses.attach(runId), batch, withRank(Bus.protobuf(), rank))
              .recover(e -> Future.failedFuture(GrpcFailures.of(e, runId)));
    }
    // the primary's finish waits for the other ranks, then (online) for the upload
    long timeout =
        Bus.PIPELINE_TIMEOUT_MS + service.config().rankFinishTimeout().toMillis() + FINISH_UPLOAD_MS;
    return exit.compose(
        v ->
            ask(runId, rank, request(Request.newBuilder()
                    .setFinish(FinishRequest.getDefaultInstance())),
                Bus.protobuf().setSendTimeout(timeout))
                .map(Response::getFinishResponse));
  }

  /** The primary's close: the run's stream closes now (the coordinator knows who may). */
  Future<CloseStreamResponse> close(RunCall call, String token) {
    String runId = call.getRunId();
    try {
      check(runId, call.getRank());
    } catch (ServiceException e) {
      return Future.failedFuture(GrpcFailures.of(e, runId));
    }
    return bus.request(
            Addresses.attach(runId),
            CloseStreamRequest.newBuilder().setRunId(runId).build(),
            withRank(Bus.protobuf(), call.getRank()))
        .recover(e -> Future.failedFuture(GrpcFailures.of(e, runId)))
        .map(reply -> CloseStreamResponse.getDefaultInstance());
  }

  private static Record request(Request.Builder request) {
    return Record.newBuilder().setRequest(request).build();
  }

  /** Sends a request record to the run's coordinator as {@code rank}; its answer's response. */
  private Future<Response> ask(String runId, int rank, Record record, DeliveryOptions options) {
    try {
      check(runId, rank);
    } catch (ServiceException e) {
      return Future.failedFuture(GrpcFailures.of(e, runId));
    }
    return bus.<com.google.protobuf.Message>request(
            Addresses.attach(runId), record, withRank(options, rank))
        .recover(e -> Future.failedFuture(GrpcFailures.of(e, runId)))
        .compose(
            reply ->
                reply.body() instanceof Result result
                    ? Future.succeededFuture(result.getResponse())
                    : Future.failedFuture(
                        GrpcFailures.of(
                            new ServiceException(
                                ServiceStatus.INTERNAL,
                                "run " + runId + " answered with a "
                                    + reply.body().getDescriptorForType().getName()),
                            runId)));
  }

  private static void check(String runId, int rank) {
    if (runId.isEmpty()) {
      throw new ServiceException(ServiceStatus.INVALID_ARGUMENT, "the call names no run (run_id)");
    }
    if (rank < 0) {
      throw new ServiceException(ServiceStatus.INVALID_ARGUMENT, "rank " + rank + " is negative");
    }
  }

  private static DeliveryOptions withRank(DeliveryOptions options, int rank) {
    return options.addHeader(Addresses.RANK_HEADER, Integer.toString(rank));
  }
}
