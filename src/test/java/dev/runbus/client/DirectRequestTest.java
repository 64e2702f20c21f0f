package dev.runbus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runbus.bus.Bus;
import dev.runbus.proto.PollExitResponse;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.Response;
import dev.runbus.proto.Result;
import dev.runbus.proto.SampledHistoryRequest;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A direct request (finish's progress polls, closing the stream) gets its answer while its caller
 * blocks on a Vert.x worker thread, where a run started with {@code Runbus.init(vertx, …)} from a
 * worker verticle finishes.
 */
@Timeout(60)
class DirectRequestTest {

  private static final String HANDLER = "test.direct.handler";

  Vertx vertx;
  final List<Throwable> failures = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    Bus.registerCodec(vertx);
    Result answer =
        Result.newBuilder()
            .setResponse(
                Response.newBuilder().setPollExitResponse(PollExitResponse.getDefaultInstance()))
            .build();
    vertx.eventBus().consumer(HANDLER, m -> m.reply(answer, Bus.protobuf()));
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aCallerBlockingAWorkerThreadGetsItsAnswer() throws Exception {
    RunClient client =
        new RunClient(
            CompletableFuture.completedFuture(vertx),
            "t",
            HANDLER,
            Integer.MAX_VALUE,
            1 << 20,
            failures::add);
    // through the queue first: once it is answered, the pump has its context
    client
        .request(
            Record.newBuilder()
                .setRequest(
                    Request.newBuilder().setSampledHistory(SampledHistoryRequest.getDefaultInstance()))
                .build())
        .get(10, TimeUnit.SECONDS);

    // a worker verticle's start() blocks its own context while it waits, as finish() does there
    CompletableFuture<String> outcome = new CompletableFuture<>();
    vertx
        .deployVerticle(
            new VerticleBase() {
              @Override
              public Future<?> start() throws Exception {
                try {
                  client.direct(HANDLER, Record.getDefaultInstance()).get(5, TimeUnit.SECONDS);
                  outcome.complete("answered");
                } catch (TimeoutException e) {
                  outcome.complete("no answer while the worker thread waited");
                }
                return Future.succeededFuture();
              }
            },
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .await(20, TimeUnit.SECONDS);
    client.close();

    assertEquals("answered", outcome.get(1, TimeUnit.SECONDS));
    assertEquals(List.of(), failures);
  }
}
