package dev.runbus.client;

import com.google.protobuf.ByteString;
import dev.runbus.bus.ValueCursor;
import dev.runbus.json.AsciiDigits;
import dev.runbus.json.FloatText;
import dev.runbus.json.JsonWriter;
import dev.runbus.proto.HistoryAction;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRows;
import dev.runbus.proto.HistoryStep;
import dev.runbus.proto.PartialHistoryRequest;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a logged row into the record W&B's client sends for {@code log()}: a {@code
 * PartialHistoryRequest} whose items carry each value as JSON text, plus {@code _timestamp} and
 * {@code _runtime} (§2.2: added on the user side). Consecutive rows that share their keys and are
 * each committed at the next step go as one {@code HistoryRows} block instead: the keys once, then
 * the values, with no message per row or per value. Not thread-safe: the client keeps one for
 * its pump and one for the open block, which callers fill under the client's lock.
 */
final class RowEncoder {

  private static final HistoryAction COMMIT = HistoryAction.newBuilder().setFlush(true).build();
  private static final HistoryAction NO_COMMIT = HistoryAction.newBuilder().setFlush(false).build();

  private final StringBuilder json = new StringBuilder(64);
  // a block's value texts, back to back; reused, copied once into the message
  private byte[] valueBytes = new byte[8192];
  private int values;
  private long keyBytes; // the open block's keys, as QueuedBytes counts strings
  private final byte[] micros = new byte[24]; // a lone row's times, before they become strings
  private HistoryRows.Builder block;
  // reused: protobuf copies on build(), so one builder serves every item
  private final HistoryItem.Builder itemBuilder = HistoryItem.newBuilder();

  Record encode(Row row) {
    PartialHistoryRequest.Builder partial = PartialHistoryRequest.newBuilder();
    for (int i = 0; i < row.size; i++) {
      partial.addItem(item(row.keys[i], row.values[i]));
    }
    partial.addItem(seconds("_timestamp", row.timestamp));
    partial.addItem(seconds("_runtime", row.runtime));
    if (row.step != Row.NO_STEP) {
      partial.setStep(HistoryStep.newBuilder().setNum(row.step));
    }
    if (row.commit != null) {
      partial.setAction(row.commit ? COMMIT : NO_COMMIT);
    }
    return Record.newBuilder().setRequest(Request.newBuilder().setPartialHistory(partial)).build();
  }

  /**
   * Whether {@code row} may travel in a block: committed at the next step (no explicit step, commit
   * not false) and only numbers and booleans, whose summary is simply the last value.
   */
  static boolean blockable(Row row) {
    if (row.step != Row.NO_STEP || Boolean.FALSE.equals(row.commit)) {
      return false;
    }
    for (int i = 0; i < row.size; i++) {
      Object value = row.values[i];
      if (!(value instanceof Number) && !(value instanceof Boolean)) {
        return false;
      }
    }
    return true;
  }

  /** Same keys in the same order; callers usually reuse their key strings, so {@code ==} decides. */
  static boolean sameKeys(Row a, Row b) {
    if (a.size != b.size) {
      return false;
    }
    for (int i = 0; i < a.size; i++) {
      String x = a.keys[i];
      String y = b.keys[i];
      if (x != y && !x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where the block starting at {@code items[from]} ends (exclusive): the run of rows after it that
   * are {@link #blockable} with the same keys. {@code from + 1} when the item there is not a
   * blockable row.
   */
  static int blockEnd(List<?> items, int from) {
    int end = from + 1;
    if (items.get(from) instanceof Row row && blockable(row)) {
      while (end < items.size()
          && items.get(end) instanceof Row next
          && blockable(next)
          && sameKeys(row, next)) {
        end++;
      }
    }
    return end;
  }

  /**
   * Encodes {@code rows[from, to)}, every one {@link #blockable} with the keys of the first, as one
   * {@code log_rows} request. Row i's values are exactly the texts {@link #encode} would give it.
   */
  Record encodeBlock(List<?> rows, int from, int to) {
    startBlock((Row) rows.get(from));
    for (int r = from; r < to; r++) {
      addToBlock((Row) rows.get(r));
    }
    return finishBlock();
  }

  /** Opens a block with {@code first}'s keys; rows go in with {@link #addToBlock}. */
  void startBlock(Row first) {
    block = HistoryRows.newBuilder();
    int keyChars = 0;
    for (int i = 0; i < first.size; i++) {
      block.addKey(first.keys[i]);
      keyChars += first.keys[i].length();
    }
    block.addKey("_timestamp").addKey("_runtime");
    keyBytes = 2L * keyChars;
    values = 0;
  }

  /** The open block's size so far: its values' bytes, and its keys at two bytes per char. */
  long blockBytes() {
    return keyBytes + values;
  }

  /** Adds a row, {@link #blockable} and with the open block's keys, by writing its values. */
  void addToBlock(Row row) {
    for (int i = 0; i < row.size; i++) {
      appendValue(row.values[i]);
    }
    appendSeconds(row.timestamp);
    appendSeconds(row.runtime);
  }

  /** The open block as a {@code log_rows} request; the encoder is then ready for the next. */
  Record finishBlock() {
    HistoryRows.Builder finished = block.setValues(ByteString.copyFrom(valueBytes, 0, values));
    block = null;
    values = 0;
    return Record.newBuilder().setRequest(Request.newBuilder().setLogRows(finished)).build();
  }

  /**
   * Appends a blockable value, its length and then its text, which is ASCII (numbers, booleans,
   * NaN, ±Infinity), to the block's bytes. Finite floats, the usual metric, are written in place.
   */
  private void appendValue(Object value) {
    if (value instanceof Float f && Float.isFinite(f)) {
      ensureValueRoom(1 + FloatText.MAX_LENGTH);
      int lengthAt = values++;
      values = FloatText.write(f, valueBytes, values);
      valueBytes[lengthAt] = (byte) (values - lengthAt - 1); // at most 15
    } else {
      appendText(text(value));
    }
  }

  /** As {@link #seconds(double)}, into the block's bytes. */
  private void appendSeconds(double seconds) {
    if (!inMicrosRange(seconds)) {
      json.setLength(0);
      JsonWriter.appendDouble(json, seconds);
      appendText(json.toString());
      return;
    }
    ensureValueRoom(1 + 24);
    int lengthAt = values++;
    values = writeMicros(seconds, valueBytes, values);
    valueBytes[lengthAt] = (byte) (values - lengthAt - 1); // at most 21
  }

  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char
  private void appendText(String text) {
    int n = text.length();
    ensureValueRoom(5 + n);
    values = ValueCursor.putLength(valueBytes, values, n);
    text.getBytes(0, n, valueBytes, values);
    values += n;
  }

  private void ensureValueRoom(int bytes) {
    if (valueBytes.length < values + bytes) {
      valueBytes = Arrays.copyOf(valueBytes, Math.max(values + bytes, valueBytes.length * 2));
    }
  }

  private HistoryItem item(String key, Object value) {
    return itemBuilder.setKey(key).setValueJson(text(value)).build();
  }

  private String text(Object value) {
    if (value instanceof Number number) {
      return JsonWriter.numberToJson(number); // straight to its text: no builder copy
    }
    json.setLength(0);
    JsonWriter.appendValue(json, value);
    return json.toString();
  }

  private HistoryItem seconds(String key, double seconds) {
    return itemBuilder.setKey(key).setValueJson(seconds(seconds)).build();
  }

  /**
   * Times as W&B's clients write them, float seconds, at microsecond resolution: plain digits, far
   * cheaper than the shortest-repr algorithm that arbitrary doubles need, and finer than any clock
   * we read.
   */
  private String seconds(double seconds) {
    if (!inMicrosRange(seconds)) {
      json.setLength(0);
      JsonWriter.appendDouble(json, seconds);
      return json.toString();
    }
    int n = writeMicros(seconds, micros, 0);
    return new String(micros, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** Seconds from here on would overflow the microseconds in a long. */
  private static final double MAX_MICROS_SECONDS = 9e12;

  /** Whether {@link #writeMicros} can write {@code seconds}; other values go as any double. */
  private static boolean inMicrosRange(double seconds) {
    return Double.isFinite(seconds) && Math.abs(seconds) < MAX_MICROS_SECONDS;
  }

  /**
   * Writes finite {@code seconds} below {@link #MAX_MICROS_SECONDS} at microsecond resolution:
   * {@code 1795734930.853234}, {@code 0.5}, {@code 12.0}. Returns the position after the text.
   */
  static int writeMicros(double seconds, byte[] out, int at) {
    long micros = Math.round(seconds * 1e6);
    if (micros < 0) {
      out[at++] = '-';
      micros = -micros;
    }
    int fraction = (int) (micros % 1_000_000);
    at = AsciiDigits.write(micros / 1_000_000, out, at);
    out[at++] = '.';
    int digits = 6;
    while (digits > 1 && fraction % 10 == 0) {
      fraction /= 10;
      digits--;
    }
    for (int i = at + digits - 1; i >= at; i--) {
      out[i] = (byte) ('0' + fraction % 10);
      fraction /= 10;
    }
    return at + digits;
  }
}
