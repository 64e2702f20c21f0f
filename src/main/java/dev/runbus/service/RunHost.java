package dev.runbus.service;

import dev.runbus.proto.AttachRequest;
import dev.runbus.proto.AttachResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The runs a service hosts for remote clients, each with one coordinator in front of its Handler.
 * Every transport (the cluster's attach door, gRPC) comes here to open or join a run; the token is
 * checked here, so no transport can forget it.
 *
 * <p>Ingest protocol, the same for every transport: after {@link #attach}, a rank sends its
 * records to {@code AttachResponse.ingest_address} (cluster-wide, {@code rb.attach.<runId>}) with
 * the header {@code rb-rank} = its rank and the protobuf codec, exactly as a local client sends to
 * a Handler: a {@code RecordBatch} is answered (a {@code PipelineProgress}) once the coordinator
 * holds its rows, a record that wants an answer with a {@code Result}. Holding back the answer is
 * the back-pressure: a rank never has more than its few batches unanswered. A rank's {@code exit}
 * record sets its outcome; its {@code finish} request is answered once everything it sent is
 * committed to the run. The primary's (rank 0's) finish first waits for the other ranks, at most
 * {@link ServiceConfig#rankFinishTimeout()}, then records every rank's outcome and finishes the
 * run.
 */
public final class RunHost {

  private final Vertx vertx;
  private final ServiceConfig config;
  private final ServiceToken token;

  public RunHost(Vertx vertx, ServiceConfig config, ServiceToken token) {
    this.vertx = vertx;
    this.config = config;
    this.token = token;
  }

  /**
   * Opens the run (or joins it, if open) for the rank named in {@code request}. Fails with a
   * {@link ServiceException}: UNAUTHENTICATED (token), INVALID_ARGUMENT (no run id with
   * world_size > 1, a rank outside the world), ALREADY_EXISTS (the rank is attached already),
   * NOT_FOUND (create false and no such run), RESOURCE_EXHAUSTED (too many ranks).
   */
  public Future<AttachResponse> attach(AttachRequest request) {
    return Future.failedFuture(new ServiceException(ServiceStatus.INTERNAL, "not built yet"));
  }

  /** A cluster node left: every rank attached from it vanished. */
  public void nodeLeft(String nodeId) {}

  /**
   * Finishes every hosted run now (the service is stopping): ranks still attached are recorded
   * as such, and each log ends properly.
   */
  public Future<Void> finishAll() {
    return Future.succeededFuture();
  }

  /** Runs hosted now. */
  public int openRuns() {
    return 0;
  }

  ServiceConfig config() {
    return config;
  }

  Vertx vertx() {
    return vertx;
  }

  ServiceToken token() {
    return token;
  }
}
