package dev.runbus.writer;

import com.google.protobuf.UnknownFieldSet;
import dev.runbus.bus.ValueCursor;
import dev.runbus.json.AsciiDigits;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.Record;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes the log's most common record, a history row, straight to bytes.
 *
 * <p>protobuf-java encodes every string field by first measuring its UTF-8 length char by char and
 * then copying it into a fresh byte array. A history row is a dozen short strings, most of them
 * keys repeated on every row, so this encoder keeps each key's bytes, copies ASCII values with the
 * JDK's byte copy, and writes the row in one pass into one reused buffer. The output is byte for
 * byte what protobuf writes for the same record with {@code num} set (fields in number order);
 * records with anything beyond items and a step (control, uuid, info) are left to protobuf.
 *
 * <p>Kept by hand because it pays: 269 ns a 13-item row against 399 for protobuf-java's own
 * encoder (JMH, {@code HistoryEncoderBenchmark}, docs/benchmarks.md), once per row on the Writer.
 */
final class HistoryEncoder {

  /**
   * Keys remembered at most; a run with more distinct keys still encodes correctly, just slower.
   */
  static final int MAX_CACHED_KEYS = 100_000;

  private static final int TAG_NUM = 1 << 3; // field 1, varint
  private static final int TAG_HISTORY = 2 << 3 | 2; // field 2, length-delimited
  private static final int TAG_ITEM = 1 << 3 | 2;
  private static final int TAG_STEP = 2 << 3 | 2;
  private static final int TAG_KEY = 1 << 3 | 2;
  private static final int TAG_NESTED_KEY = 2 << 3 | 2;
  private static final int TAG_VALUE_JSON = 16 << 3 | 2; // two bytes as a varint

  private static final int MAX_LENGTH_VARINT = 5;

  /** The key field of {@code _step}: tag, length, the five bytes. */
  private static final byte[] STEP_FIELD = {TAG_KEY, 5, '_', 's', 't', 'e', 'p'};

  private final Map<String, byte[]> keys = new HashMap<>();
  private byte[] buffer = new byte[4096];
  private int position;

  /** Whether {@link #encode} handles this record. */
  static boolean handles(Record record) {
    if (!record.hasHistory()
        || record.hasControl()
        || !record.getUuid().isEmpty()
        || record.hasInfo()
        || !noUnknownFields(record)) {
      return false;
    }
    HistoryRecord history = record.getHistory();
    if (history.hasInfo() || !noUnknownFields(history) || !noUnknownFields(history.getStep())) {
      return false;
    }
    for (int i = 0, n = history.getItemCount(); i < n; i++) {
      if (!noUnknownFields(history.getItem(i))) {
        return false; // e.g. replayed from a newer writer: protobuf keeps what we do not know
      }
    }
    return true;
  }

  /**
   * Built messages share the empty set; anything else (even an empty parsed one) goes to protobuf.
   */
  private static boolean noUnknownFields(com.google.protobuf.Message message) {
    return message.getUnknownFields() == UnknownFieldSet.getDefaultInstance();
  }

  /**
   * Encodes {@code record} with {@code num}; the bytes are {@link #buffer()}[0, {@link #length()}).
   */
  void encode(long num, Record record) {
    HistoryRecord history = record.getHistory();
    int start = beginHistory(num);
    for (int i = 0, n = history.getItemCount(); i < n; i++) {
      writeItem(history.getItem(i));
    }
    if (history.hasStep()) {
      writeStep(history.getStep().getNum());
    }
    endHistory(start);
  }

  /**
   * Starts a record with {@code num} and its history field, whose length is reserved at its widest
   * (one pass: {@link #endHistory} closes the gap). Returns where the history's content starts.
   */
  private int beginHistory(long num) {
    position = 0;
    ensure(32);
    if (num != 0) {
      writeByte(TAG_NUM);
      writeVarint(num);
    }
    writeByte(TAG_HISTORY);
    position += MAX_LENGTH_VARINT;
    return position;
  }

  /** Writes the history's length in front of its content, which starts at {@code start}. */
  private void endHistory(int start) {
    int lengthAt = start - MAX_LENGTH_VARINT;
    int length = position - start;
    int size = varintSize(length);
    writeVarintAt(lengthAt, length);
    System.arraycopy(buffer, start, buffer, lengthAt + size, length);
    position = lengthAt + size + length;
  }

  private void writeStep(long stepNum) {
    ensure(position + 16);
    writeByte(TAG_STEP);
    if (stepNum == 0) {
      writeByte(0);
    } else {
      writeByte(1 + varintSize(stepNum));
      writeByte(TAG_NUM);
      writeVarint(stepNum);
    }
  }

  /** Each key's bytes as a field (tag, length, UTF-8), made once per block. */
  byte[][] keyFields(List<String> keys) {
    byte[][] fields = new byte[keys.size()][];
    for (int j = 0; j < fields.length; j++) {
      byte[] key = keyBytes(keys.get(j));
      if (key.length == 0) {
        fields[j] = key; // proto3 leaves an empty string out
        continue;
      }
      byte[] field = new byte[1 + varintSize(key.length) + key.length];
      field[0] = (byte) TAG_KEY;
      int at = putVarint(field, 1, key.length);
      System.arraycopy(key, 0, field, at, key.length);
      fields[j] = field;
    }
    return fields;
  }

  /**
   * Encodes the next row of a {@code write_rows} block with {@code num}: the history record with the
   * block's keys ({@link #keyFields}) and the next values from {@code values}, then {@code _step},
   * and the step; byte for byte what {@link #encode} writes for that record.
   *
   * @return false, having written nothing, when the values are used up
   */
  boolean encodeRow(long num, byte[][] keyFields, ValueCursor values, long step) {
    if (!values.next()) {
      return false;
    }
    int start = beginHistory(num);
    for (int j = 0; j < keyFields.length; j++) {
      if (j > 0) {
        values.next();
      }
      writeItem(keyFields[j], values.bytes(), values.start(), values.end());
    }
    writeStepItem(step);
    writeStep(step);
    endHistory(start);
    return true;
  }

  /** An item from a key field and the value text {@code value[from, to)} (UTF-8). */
  private void writeItem(byte[] keyField, byte[] value, int from, int to) {
    int length = to - from;
    ensure(position + 16 + keyField.length + length);
    writeByte(TAG_ITEM);
    int lengthAt = position++; // an item is almost always shorter than 128 bytes: one length byte
    int start = position;
    System.arraycopy(keyField, 0, buffer, position, keyField.length);
    position += keyField.length;
    if (length > 0) {
      writeVarint(TAG_VALUE_JSON);
      writeVarint(length);
      System.arraycopy(value, from, buffer, position, length);
      position += length;
    }
    closeItem(lengthAt, start);
  }

  /** The item {@code _step = step}, its digits written in place. */
  private void writeStepItem(long step) {
    ensure(position + 40);
    writeByte(TAG_ITEM);
    int lengthAt = position++;
    int start = position;
    System.arraycopy(STEP_FIELD, 0, buffer, position, STEP_FIELD.length);
    position += STEP_FIELD.length;
    writeVarint(TAG_VALUE_JSON);
    int digitsAt = position++;
    position = AsciiDigits.write(step, buffer, position);
    buffer[digitsAt] = (byte) (position - digitsAt - 1);
    closeItem(lengthAt, start);
  }

  byte[] buffer() {
    return buffer;
  }

  int length() {
    return position;
  }

  /** An item: its top-level key (or none), any nested keys, and its value. */
  private void writeItem(HistoryItem item) {
    String key = item.getKey();
    String value = item.getValueJson();
    int room = 32 + 3 * (key.length() + value.length()); // tags, lengths and worst-case UTF-8
    for (int i = 0; i < item.getNestedKeyCount(); i++) {
      room += 8 + 3 * item.getNestedKey(i).length();
    }
    ensure(position + room);
    writeByte(TAG_ITEM);
    int lengthAt = position++; // an item is almost always shorter than 128 bytes: one length byte
    int start = position;
    if (!key.isEmpty()) {
      byte[] bytes = keyBytes(key);
      writeByte(TAG_KEY);
      writeVarint(bytes.length);
      System.arraycopy(bytes, 0, buffer, position, bytes.length);
      position += bytes.length;
    }
    for (int i = 0; i < item.getNestedKeyCount(); i++) {
      writeByte(TAG_NESTED_KEY);
      writeString(item.getNestedKey(i));
    }
    if (!value.isEmpty()) {
      writeVarint(TAG_VALUE_JSON);
      writeString(value);
    }
    closeItem(lengthAt, start);
  }

  private void closeItem(int lengthAt, int start) {
    int length = position - start;
    if (length < 0x80) {
      buffer[lengthAt] = (byte) length;
    } else {
      int size = varintSize(length);
      ensure(position + size);
      System.arraycopy(buffer, start, buffer, start + size - 1, length);
      writeVarintAt(lengthAt, length);
      position += size - 1;
    }
  }

  private byte[] keyBytes(String key) {
    byte[] bytes = keys.get(key);
    if (bytes == null) {
      bytes = key.getBytes(StandardCharsets.UTF_8);
      if (keys.size() < MAX_CACHED_KEYS) {
        keys.put(key, bytes);
      }
    }
    return bytes;
  }

  /**
   * Length-prefixed UTF-8; ASCII (nearly every value) is copied by the JDK's byte copy, into room
   * the caller reserved.
   */
  @SuppressWarnings(
      "deprecation") // String.getBytes(int, int, byte[], int): exactly the low byte of each char
  private void writeString(String s) {
    int n = s.length();
    if (isAscii(s)) {
      writeVarint(n);
      s.getBytes(0, n, buffer, position);
      position += n;
    } else {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      ensure(position + 5 + bytes.length);
      writeVarint(bytes.length);
      System.arraycopy(bytes, 0, buffer, position, bytes.length);
      position += bytes.length;
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private void ensure(int bytes) {
    if (buffer.length < bytes) {
      buffer = Arrays.copyOf(buffer, Math.max(bytes, buffer.length * 2));
    }
  }

  private void writeByte(int b) {
    buffer[position++] = (byte) b;
  }

  private void writeVarintAt(int at, int value) {
    putVarint(buffer, at, value);
  }

  private void writeVarint(long value) {
    position = putVarint(buffer, position, value);
  }

  /** Writes {@code value} as a varint at {@code out[at]}; returns the position after it. */
  private static int putVarint(byte[] out, int at, long value) {
    while ((value & ~0x7FL) != 0) {
      out[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[at++] = (byte) value;
    return at;
  }

  static int varintSize(long value) {
    int size = 1;
    while ((value & ~0x7FL) != 0) {
      size++;
      value >>>= 7;
    }
    return size;
  }
}
