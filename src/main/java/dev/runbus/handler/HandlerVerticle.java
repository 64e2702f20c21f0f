package dev.runbus.handler;

import dev.runbus.bus.Addresses;
import dev.runbus.bus.Bus;
import dev.runbus.bus.Failures;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.OpenStreamRequest;
import dev.runbus.proto.PipelineProgress;
import dev.runbus.proto.PollExitResponse;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import dev.runbus.proto.Response;
import dev.runbus.proto.Result;
import dev.runbus.proto.RunExitResult;
import dev.runbus.proto.RunUpdateResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The Handler stage of one run. It routes what arrives on {@code rb.run.<id>.handler} to {@link
 * RunHandler} and passes the records that come out to the Writer, in order.
 *
 * <p>A batch is answered only once the Writer has taken the records it produced, so a client that
 * bounds its unanswered batches bounds everything in flight between it and the disk.
 */
public final class HandlerVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(HandlerVerticle.class.getName());

  private final OpenStreamRequest open;
  private RunHandler handler;
  private String writerAddress;
  private long accepted;
  private PipelineProgress written = PipelineProgress.getDefaultInstance();
  private boolean done;

  public HandlerVerticle(OpenStreamRequest open) {
    this.open = open;
  }

  @Override
  public Future<?> start() {
    handler =
        new RunHandler(
            new RunState(open.getOptions().getStartTime(), open.getOptions().getStartingStep()));
    handler.setWarningListener(LOG::fine);
    writerAddress = Addresses.writer(open.getRunId());
    return vertx
        .eventBus()
        .<com.google.protobuf.Message>localConsumer(
            Addresses.handler(open.getRunId()), Failures.answered("handler", this::onMessage))
        .completion();
  }

  private void onMessage(Message<com.google.protobuf.Message> message) {
    com.google.protobuf.Message body = message.body();
    if (body instanceof RecordBatch batch) {
      List<Record> out = new ArrayList<>(batch.getRecordCount() + 4);
      for (Record record : batch.getRecordList()) {
        handle(record, out);
      }
      forward(out)
          .onSuccess(progress -> message.reply(progress, Bus.protobuf()))
          .onFailure(e -> message.fail(Failures.INTERNAL, e.getMessage()));
    } else if (body instanceof Record record) {
      onRecord(message, record);
    } else {
      message.fail(
          Failures.BAD_RECORD, "handler: unexpected " + body.getDescriptorForType().getName());
    }
  }

  /**
   * Hands a record to the Handler. Records accepted count log() calls, so a block counts its rows,
   * as many as the Handler counted in.
   */
  private void handle(Record record, List<Record> out) {
    long before = handler.recordsIn();
    handler.handle(record, out::add);
    accepted += handler.recordsIn() - before;
  }

  private void onRecord(Message<com.google.protobuf.Message> message, Record record) {
    if (!record.hasRequest()) {
      // a record that wants an answer: offline the run record is answered here (§2.1)
      List<Record> out = new ArrayList<>(2);
      handle(record, out);
      forward(out)
          .onSuccess(progress -> message.reply(answerTo(record), Bus.protobuf()))
          .onFailure(e -> message.fail(Failures.INTERNAL, e.getMessage()));
      return;
    }
    Request request = record.getRequest();
    if (request.hasStopStatus() && !open.getOptions().getOffline()) {
      // only the Sender knows whether the server asked the run to stop
      askSender(record).onComplete(reply -> relay(message, reply));
      return;
    }
    // accepted counts what the caller asked for: rows are counted by handle(), and poll_exit is
    // finish()'s own question, asked every second, so it is not counted
    switch (request.getRequestTypeCase()) {
      case FINISH -> {
        accepted++;
        finish(message, record);
      }
      case POLL_EXIT -> pollExit(message, record);

      case PARTIAL_HISTORY, LOG_ROWS -> {
        List<Record> out = new ArrayList<>(2);
        handle(record, out);
        forward(out)
            .onSuccess(progress -> message.reply(progress, Bus.protobuf()))
            .onFailure(e -> message.fail(Failures.INTERNAL, e.getMessage()));
      }
      default -> {
        accepted++;
        List<Record> out = new ArrayList<>(2);
        Response response = handler.answer(request, out::add);
        if (response == null) {
          message.fail(
              Failures.BAD_RECORD,
              "handler: no answer to a " + request.getRequestTypeCase() + " request on its own");
          return;
        }
        forward(out)
            .onSuccess(progress -> message.reply(respond(response), Bus.protobuf()))
            .onFailure(e -> message.fail(Failures.INTERNAL, e.getMessage()));
      }
    }
  }

  /**
   * The drain: answered after the Writer (and behind it the Sender) took everything sent before it.
   */
  private void finish(Message<com.google.protobuf.Message> message, Record finish) {
    vertx
        .eventBus()
        .<com.google.protobuf.Message>request(
            writerAddress, finish, Bus.finish(open.getOptions()))
        .onSuccess(
            reply -> {
              done = true;
              Result writerResult = (Result) reply.body();
              FinishResponse.Builder response =
                  writerResult.getResponse().getFinishResponse().toBuilder();
              written = response.getProgress();
              HandlerStats stats = handler.stats();
              response
                  .setProgress(written.toBuilder().setRecordsAccepted(accepted))
                  .setDroppedRows(stats.droppedRows())
                  .setHistoryRows(stats.historyRows());
              message.reply(
                  respond(Response.newBuilder().setFinishResponse(response)), Bus.protobuf());
            })
        // the Writer's words already say what failed, and the caller knows it asked to finish
        .onFailure(e -> message.fail(Failures.INTERNAL, e.getMessage()));
  }

  private Future<PipelineProgress> forward(List<Record> out) {
    if (out.isEmpty()) {
      return Future.succeededFuture(written);
    }
    return vertx
        .eventBus()
        .<com.google.protobuf.Message>request(
            writerAddress, RecordBatch.newBuilder().addAllRecord(out).build(), Bus.protobuf())
        .map(
            reply -> {
              written = (PipelineProgress) reply.body();
              return written;
            });
  }

  /**
   * poll_exit: the Handler's own numbers, and online the Sender's account of the upload. Neither
   * waits behind the data: finish() asks every second while the drain runs.
   */
  private void pollExit(Message<com.google.protobuf.Message> message, Record record) {
    if (open.getOptions().getOffline()) {
      message.reply(
          respond(Response.newBuilder().setPollExitResponse(pollExit())), Bus.protobuf());
      return;
    }
    askSender(record)
        .onComplete(
            reply -> {
              PollExitResponse.Builder poll = pollExit();
              if (reply.succeeded() && reply.result().body() instanceof Result sent) {
                PollExitResponse fromSender = sent.getResponse().getPollExitResponse();
                poll.setSend(fromSender.getSend())
                    .setPusherStats(fromSender.getPusherStats())
                    .setFileCounts(fromSender.getFileCounts());
              }
              message.reply(
                  respond(Response.newBuilder().setPollExitResponse(poll)), Bus.protobuf());
            });
  }

  private Future<Message<com.google.protobuf.Message>> askSender(Record record) {
    return vertx
        .eventBus()
        .request(Addresses.sender(open.getRunId()), record, Bus.protobuf());
  }

  private static void relay(
      Message<com.google.protobuf.Message> message,
      io.vertx.core.AsyncResult<Message<com.google.protobuf.Message>> reply) {
    if (reply.succeeded()) {
      message.reply(reply.result().body(), Bus.protobuf());
    } else {
      message.fail(Failures.upstream(reply.cause()), reply.cause().getMessage());
    }
  }

  private PollExitResponse.Builder pollExit() {
    PollExitResponse.Builder poll =
        PollExitResponse.newBuilder()
            .setDone(done)
            .setProgress(written.toBuilder().setRecordsAccepted(accepted));
    if (done) {
      poll.setExitResult(RunExitResult.getDefaultInstance());
    }
    return poll;
  }

  private static Result answerTo(Record record) {
    Result.Builder result =
        Result.newBuilder().setControl(record.getControl()).setUuid(record.getUuid());
    if (record.hasRun()) {
      result.setRunResult(RunUpdateResult.newBuilder().setRun(record.getRun()));
    }
    return result.build();
  }

  private static Result respond(Response.Builder response) {
    return Result.newBuilder().setResponse(response).build();
  }

  private static Result respond(Response response) {
    return Result.newBuilder().setResponse(response).build();
  }
}
