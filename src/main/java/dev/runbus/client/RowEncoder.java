package dev.runbus.client;

import dev.runbus.json.JsonWriter;
import dev.runbus.proto.HistoryAction;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;

/**
 * Turns a logged row into the record W&B's client sends for {@code log()}: a {@code
 * PartialHistoryRequest} whose items carry each value as JSON text, plus {@code _timestamp} and
 * {@code _runtime} (§2.2: added on the user side). Runs on the client's pump thread, never the
 * caller's; not thread-safe.
 */
final class RowEncoder {

  private static final HistoryAction COMMIT = HistoryAction.newBuilder().setFlush(true).build();
  private static final HistoryAction NO_COMMIT = HistoryAction.newBuilder().setFlush(false).build();

  private final StringBuilder json = new StringBuilder(64);
  // reused: protobuf copies on build(), so one builder serves every item
  private final HistoryItem.Builder itemBuilder = HistoryItem.newBuilder();

  Record encode(Row row) {
    PartialHistoryRequest.Builder partial = PartialHistoryRequest.newBuilder();
    for (int i = 0; i < row.size; i++) {
      partial.addItem(item(row.keys[i], row.values[i]));
    }
    partial.addItem(seconds("_timestamp", row.timestamp));
    partial.addItem(seconds("_runtime", row.runtime));
    if (row.step >= 0) {
      partial.setStep(HistoryStep.newBuilder().setNum(row.step));
    }
    if (row.commit != null) {
      partial.setAction(row.commit ? COMMIT : NO_COMMIT);
    }
    return Record.newBuilder().setRequest(Request.newBuilder().setPartialHistory(partial)).build();
  }

  private HistoryItem item(String key, Object value) {
    String text;
    if (value instanceof Number number) {
      text = JsonWriter.numberToJson(number); // straight to its text: no builder copy
    } else {
      json.setLength(0);
      JsonWriter.appendValue(json, value);
      text = json.toString();
    }
    return itemBuilder.setKey(key).setValueJson(text).build();
  }

  /**
   * Times as W&B's clients write them, float seconds, at microsecond resolution: plain digits, far
   * cheaper than the shortest-repr algorithm that arbitrary doubles need, and finer than any clock
   * we read.
   */
  private HistoryItem seconds(String key, double seconds) {
    json.setLength(0);
    appendMicros(json, seconds);
    return itemBuilder.setKey(key).setValueJson(json.toString()).build();
  }

  static void appendMicros(StringBuilder out, double seconds) {
    if (!Double.isFinite(seconds) || Math.abs(seconds) >= 9e12) {
      JsonWriter.appendDouble(out, seconds);
      return;
    }
    long micros = Math.round(seconds * 1e6);
    if (micros < 0) {
      out.append('-');
      micros = -micros;
    }
    out.append(micros / 1_000_000).append('.');
    int fraction = (int) (micros % 1_000_000);
    int digits = 6;
    while (digits > 1 && fraction % 10 == 0) {
      fraction /= 10;
      digits--;
    }
    String text = Integer.toString(fraction);
    for (int pad = digits - text.length(); pad > 0; pad--) {
      out.append('0');
    }
    out.append(text);
  }
}
