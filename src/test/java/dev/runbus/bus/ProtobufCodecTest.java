package dev.runbus.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.KernelRequest;
import dev.runbus.proto.OpenStreamRequest;
import dev.runbus.proto.PipelineProgress;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Response;
import dev.runbus.proto.Result;
import dev.runbus.proto.RunRecord;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ProtobufCodecTest {

  private final ProtobufCodec codec = new ProtobufCodec();

  @Test
  void everyPipelineMessageSurvivesTheClusterWireForm() {
    Record history =
        Record.newBuilder()
            .setHistory(
                HistoryRecord.newBuilder()
                    .addItem(HistoryItem.newBuilder().setKey("loss").setValueJson("NaN")))
            .build();
    List<Message> messages =
        List.of(
            history,
            RecordBatch.newBuilder().addRecord(history).addRecord(history).build(),
            Result.newBuilder().setResponse(Response.getDefaultInstance()).build(),
            PipelineProgress.newBuilder().setRecordsWritten(7).setBytesWritten(1234).build(),
            KernelRequest.newBuilder()
                .setOpenStream(OpenStreamRequest.newBuilder().setRunId("r1"))
                .build());
    for (Message message : messages) {
      Buffer wire = Buffer.buffer().appendString("prefix");
      codec.encodeToWire(wire, message);
      assertEquals(message, codec.decodeFromWire("prefix".length(), wire));
    }
  }

  @Test
  void localDeliveryHandsOverTheSameInstance() {
    Record record = Record.newBuilder().setRun(RunRecord.newBuilder().setRunId("x")).build();
    assertSame(record, codec.transform(record));
  }

  @Test
  void anUnknownTypeOnTheWireIsAClearError() {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, RunRecord.newBuilder().setRunId("x").build());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> codec.decodeFromWire(0, wire));
    assertTrue(e.getMessage().contains("runbus.v1.RunRecord"), e.getMessage());
  }

  @Test
  void theBusCarriesRecordsWithoutCopyingThem(Vertx vertx, VertxTestContext test) {
    Bus.registerCodec(vertx);
    Bus.registerCodec(vertx); // a second registration is harmless
    Record sent = Record.newBuilder().setRun(RunRecord.newBuilder().setRunId("x")).build();
    vertx
        .eventBus()
        .<Message>consumer("test.codec", message -> message.reply(message.body(), Bus.protobuf()))
        .completion()
        .compose(v -> vertx.eventBus().<Message>request("test.codec", sent, Bus.protobuf()))
        .onComplete(
            test.succeeding(reply -> test.verify(() -> {
              assertSame(sent, reply.body());
              test.completeNow();
            })));
  }
}
