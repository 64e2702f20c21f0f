package dev.runbus.service.grpc;

import com.google.protobuf.ByteString;
import dev.runbus.bus.ValueCursor;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRows;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.RecordBatch;
import dev.runbus.proto.Request;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Records and batches as a remote client sends them, for the gRPC tests. */
final class Batches {

  private Batches() {}

  /** A log_rows block: {@code rows} rows of the given keys, each value its text. */
  static Record logRows(String[] keys, String... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] length = new byte[5];
    for (String value : values) {
      byte[] text = value.getBytes(StandardCharsets.UTF_8);
      out.write(length, 0, ValueCursor.putLength(length, 0, text.length));
      out.writeBytes(text);
    }
    return Record.newBuilder()
        .setRequest(
            Request.newBuilder()
                .setLogRows(
                    HistoryRows.newBuilder()
                        .addAllKey(java.util.List.of(keys))
                        .setValues(ByteString.copyFrom(out.toByteArray()))))
        .build();
  }

  /** {@code rows} rows of {@code metrics} floats: m0..m{metrics-1}, row i's values i + j/10. */
  static Record floatRows(int firstRow, int rows, int metrics) {
    String[] keys = new String[metrics];
    for (int j = 0; j < metrics; j++) {
      keys[j] = "m" + j;
    }
    String[] values = new String[rows * metrics];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < metrics; j++) {
        values[i * metrics + j] = Double.toString(firstRow + i + j / 10.0);
      }
    }
    return logRows(keys, values);
  }

  static Record partialHistory(String key, String valueJson) {
    return Record.newBuilder()
        .setRequest(
            Request.newBuilder()
                .setPartialHistory(
                    PartialHistoryRequest.newBuilder()
                        .addItem(HistoryItem.newBuilder().setKey(key).setValueJson(valueJson))))
        .build();
  }

  static RecordBatch of(Record... records) {
    return RecordBatch.newBuilder().addAllRecord(java.util.List.of(records)).build();
  }

  /** A batch of about {@code bytes} bytes: one row whose string value fills it. */
  static RecordBatch ofSize(int bytes) {
    return of(partialHistory("text", "\"" + "x".repeat(bytes) + "\""));
  }

  /** The status a call failed with; fails the test if it succeeded or failed otherwise. */
  static GrpcCallException failure(Future<?> call) throws InterruptedException {
    try {
      call.await(30, TimeUnit.SECONDS);
    } catch (GrpcCallException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("the call failed without a gRPC status: " + e, e);
    }
    throw new AssertionError("the call succeeded; expected a failure status");
  }

  static GrpcStatus status(Future<?> call) throws InterruptedException {
    return failure(call).status();
  }
}
