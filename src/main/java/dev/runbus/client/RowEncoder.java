package dev.runbus.client;

import dev.runbus.json.JsonWriter;
import dev.runbus.proto.HistoryAction;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;

/**
 * Turns a logged row into the record W&B's client sends for {@code log()}:
 * a {@code PartialHistoryRequest} whose items carry each value as JSON text,
 * plus {@code _timestamp} and {@code _runtime} (§2.2: added on the user side).
 * Runs on the client's pump thread, never the caller's; not thread-safe.
 */
final class RowEncoder {

  private static final HistoryAction COMMIT = HistoryAction.newBuilder().setFlush(true).build();
  private static final HistoryAction NO_COMMIT = HistoryAction.newBuilder().setFlush(false).build();

  private final StringBuilder json = new StringBuilder(64);

  Record encode(Row row) {
    PartialHistoryRequest.Builder partial = PartialHistoryRequest.newBuilder();
    for (int i = 0; i < row.size; i++) {
      partial.addItem(item(row.keys[i], row.values[i]));
    }
    partial.addItem(item("_timestamp", row.timestamp));
    partial.addItem(item("_runtime", row.runtime));
    if (row.step >= 0) {
      partial.setStep(HistoryStep.newBuilder().setNum(row.step));
    }
    if (row.commit != null) {
      partial.setAction(row.commit ? COMMIT : NO_COMMIT);
    }
    return Record.newBuilder().setRequest(Request.newBuilder().setPartialHistory(partial)).build();
  }

  private HistoryItem item(String key, Object value) {
    json.setLength(0);
    JsonWriter.appendValue(json, value);
    return HistoryItem.newBuilder().setKey(key).setValueJson(json.toString()).build();
  }
}
