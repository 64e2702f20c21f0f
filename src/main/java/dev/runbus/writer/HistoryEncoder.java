package dev.runbus.writer;

import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.HistoryRecord;
import dev.runbus.proto.Record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Encodes the log's most common record, a history row, straight to bytes.
 *
 * <p>protobuf-java encodes every string field by first measuring its UTF-8
 * length char by char and then copying it into a fresh byte array. A history
 * row is a dozen short strings, most of them keys repeated on every row, so
 * this encoder keeps each key's bytes and writes ASCII values char by char
 * into one reused buffer. The output is byte for byte what protobuf writes
 * for the same record with {@code num} set (fields in number order); records
 * with anything beyond items and a step (control, uuid, info) are left to
 * protobuf.
 */
final class HistoryEncoder {

  /** Keys remembered at most; a run with more distinct keys still encodes correctly, just slower. */
  static final int MAX_CACHED_KEYS = 100_000;

  private static final int TAG_NUM = 1 << 3;                 // field 1, varint
  private static final int TAG_HISTORY = 2 << 3 | 2;         // field 2, length-delimited
  private static final int TAG_ITEM = 1 << 3 | 2;
  private static final int TAG_STEP = 2 << 3 | 2;
  private static final int TAG_KEY = 1 << 3 | 2;
  private static final int TAG_NESTED_KEY = 2 << 3 | 2;
  private static final int TAG_VALUE_JSON = 16 << 3 | 2;     // two bytes as a varint

  private final Map<String, byte[]> keys = new HashMap<>();
  private byte[] buffer = new byte[4096];
  private int[] itemLengths = new int[64];
  private int position;

  /** Whether {@link #encode} handles this record. */
  static boolean handles(Record record) {
    if (!record.hasHistory() || record.hasControl() || !record.getUuid().isEmpty() || record.hasInfo()
        || record.getUnknownFields().getSerializedSize() != 0) {
      return false;
    }
    HistoryRecord history = record.getHistory();
    if (history.hasInfo() || history.getUnknownFields().getSerializedSize() != 0
        || history.getStep().getUnknownFields().getSerializedSize() != 0) {
      return false;
    }
    for (int i = 0, n = history.getItemCount(); i < n; i++) {
      if (history.getItem(i).getUnknownFields().getSerializedSize() != 0) {
        return false; // a replayed record from a newer writer: protobuf keeps what we do not know
      }
    }
    return true;
  }

  /** Encodes {@code record} with {@code num}; the bytes are {@link #buffer()}[0, {@link #length()}). */
  void encode(long num, Record record) {
    HistoryRecord history = record.getHistory();
    int count = history.getItemCount();
    if (itemLengths.length < count) {
      itemLengths = new int[Math.max(count, itemLengths.length * 2)];
    }
    int historyLength = 0;
    for (int i = 0; i < count; i++) {
      int length = itemLength(history.getItem(i));
      itemLengths[i] = length;
      historyLength += 1 + varintSize(length) + length;
    }
    long stepNum = history.getStep().getNum();
    int stepLength = stepNum == 0 ? 0 : 1 + varintSize(stepNum);
    if (history.hasStep()) {
      historyLength += 1 + varintSize(stepLength) + stepLength;
    }
    position = 0;
    ensure(1 + 10 + 1 + 5 + historyLength);
    if (num != 0) {
      writeByte(TAG_NUM);
      writeVarint(num);
    }
    writeByte(TAG_HISTORY);
    writeVarint(historyLength);
    for (int i = 0; i < count; i++) {
      writeByte(TAG_ITEM);
      writeVarint(itemLengths[i]);
      writeItem(history.getItem(i));
    }
    if (history.hasStep()) {
      writeByte(TAG_STEP);
      writeVarint(stepLength);
      if (stepNum != 0) {
        writeByte(TAG_NUM);
        writeVarint(stepNum);
      }
    }
  }

  byte[] buffer() {
    return buffer;
  }

  int length() {
    return position;
  }

  private int itemLength(HistoryItem item) {
    int length = 0;
    String key = item.getKey();
    if (!key.isEmpty()) {
      int k = keyBytes(key).length;
      length += 1 + varintSize(k) + k;
    }
    for (int i = 0; i < item.getNestedKeyCount(); i++) {
      int k = utf8Length(item.getNestedKey(i));
      length += 1 + varintSize(k) + k;
    }
    String value = item.getValueJson();
    if (!value.isEmpty()) {
      int v = utf8Length(value);
      length += 2 + varintSize(v) + v;
    }
    return length;
  }

  private void writeItem(HistoryItem item) {
    String key = item.getKey();
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
    String value = item.getValueJson();
    if (!value.isEmpty()) {
      writeVarint(TAG_VALUE_JSON);
      writeString(value);
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

  /** Length-prefixed UTF-8: ASCII char by char, anything else through the JDK's encoder. */
  private void writeString(String s) {
    int n = s.length();
    if (isAscii(s)) {
      writeVarint(n);
      for (int i = 0; i < n; i++) {
        buffer[position++] = (byte) s.charAt(i);
      }
    } else {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      writeVarint(bytes.length);
      System.arraycopy(bytes, 0, buffer, position, bytes.length);
      position += bytes.length;
    }
  }

  private static int utf8Length(String s) {
    return isAscii(s) ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
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

  private void writeVarint(long value) {
    while ((value & ~0x7FL) != 0) {
      buffer[position++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[position++] = (byte) value;
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
