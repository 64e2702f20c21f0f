package dev.runbus.filestream;

import java.nio.charset.StandardCharsets;

/**
 * A history record straight from its protobuf bytes in the log to its {@code wandb-history.jsonl}
 * line ({@code {"key": value_json, ...}}) and to the summary's last values: no protobuf object, no
 * String and no JSON tree per row, since the FileStream converts every row the run logs. Rows with
 * a nested key (a path of keys that becomes nested objects) are left to {@link RecordConverter}'s
 * general path; {@code value_json} is already JSON text and is copied as it is.
 */
final class HistoryLine {

  private static final int TAG_NUM = 1 << 3;
  private static final int TAG_HISTORY = 2 << 3 | 2;
  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

  // per item: key from, key to, value from, value to (value from == -1: no value)
  private int[] items = new int[4 * 32];
  private int count;
  private int pos;

  /** Whether the record in {@code payload} is a history record. */
  static boolean isHistory(byte[] payload) {
    int at = 0;
    if (payload.length > 0 && payload[0] == TAG_NUM) {
      at = 1;
      while (at < payload.length && payload[at] < 0) {
        at++;
      }
      at++;
    }
    return at < payload.length && payload[at] == TAG_HISTORY;
  }

  /**
   * Reads the row in {@code p}; false when it needs the general path (a nested key, or bytes this
   * reader does not follow). Then {@link #write} and {@link #applyTo} use what it read.
   */
  boolean read(byte[] p) {
    return parse(p);
  }

  /** Writes the row read last, from its bytes {@code p}, as a JSON string of the body. */
  void write(byte[] p, JsonBytes out) {
    out.ascii("\"{");
    for (int i = 0; i < count; i++) {
      int at = i * 4;
      if (i > 0) {
        out.put((byte) ',');
      }
      out.ascii("\\\"").escapedTwice(p, items[at], items[at + 1]).ascii("\\\":");
      if (items[at + 2] < 0) {
        out.put(NULL);
      } else {
        out.escapedOnce(p, items[at + 2], items[at + 3]);
      }
    }
    out.ascii("}\"");
  }

  /** Sets the values of the row read last in {@code summary}. */
  void applyTo(byte[] p, SummaryState summary) {
    for (int i = 0; i < count; i++) {
      int at = i * 4;
      if (items[at + 2] < 0) {
        summary.set(p, items[at], items[at + 1], NULL, 0, NULL.length);
      } else {
        summary.set(p, items[at], items[at + 1], p, items[at + 2], items[at + 3]);
      }
    }
  }

  private boolean parse(byte[] p) {
    pos = 0;
    count = 0;
    int end = p.length;
    while (pos < end) {
      int tag = varint32(p);
      if (tag == TAG_HISTORY) {
        int length = varint32(p);
        int historyEnd = pos + length;
        if (historyEnd > end || !parseHistory(p, historyEnd)) {
          return false;
        }
        return true; // what follows (control, uuid, info) is not part of the line
      }
      if (!skip(p, tag & 7, end)) {
        return false;
      }
    }
    return false;
  }

  private boolean parseHistory(byte[] p, int end) {
    while (pos < end) {
      int tag = varint32(p);
      if (tag == (1 << 3 | 2)) {
        int length = varint32(p);
        int itemEnd = pos + length;
        if (itemEnd > end || !parseItem(p, itemEnd)) {
          return false;
        }
        pos = itemEnd;
      } else if (!skip(p, tag & 7, end)) {
        return false;
      }
    }
    return pos == end;
  }

  private boolean parseItem(byte[] p, int end) {
    int keyFrom = pos;
    int keyTo = pos;
    int valueFrom = -1;
    int valueTo = -1;
    while (pos < end) {
      int tag = varint32(p);
      if (tag == (1 << 3 | 2)) {
        int length = varint32(p);
        keyFrom = pos;
        keyTo = pos + length;
        pos = keyTo;
      } else if (tag == (2 << 3 | 2)) {
        return false; // a nested key: the general path builds the objects
      } else if (tag == (16 << 3 | 2)) {
        int length = varint32(p);
        valueFrom = pos;
        valueTo = pos + length;
        pos = valueTo;
      } else if (!skip(p, tag & 7, end)) {
        return false;
      }
    }
    if (pos != end || keyTo > end || valueTo > end) {
      return false;
    }
    if (count * 4 == items.length) {
      items = java.util.Arrays.copyOf(items, items.length * 2);
    }
    int at = count * 4;
    items[at] = keyFrom;
    items[at + 1] = keyTo;
    items[at + 2] = valueFrom == valueTo ? -1 : valueFrom;
    items[at + 3] = valueTo;
    count++;
    return true;
  }

  private boolean skip(byte[] p, int wireType, int end) {
    switch (wireType) {
      case 0 -> varint64(p);
      case 1 -> pos += 8;
      case 2 -> {
        int length = varint32(p);
        pos += length;
      }
      case 5 -> pos += 4;
      default -> {
        return false;
      }
    }
    return pos <= end;
  }

  private int varint32(byte[] p) {
    return (int) varint64(p);
  }

  private long varint64(byte[] p) {
    long result = 0;
    for (int shift = 0; shift < 64 && pos < p.length; shift += 7) {
      byte b = p[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    pos = Integer.MAX_VALUE / 2; // malformed: ends every loop, and parse reports the general path
    return 0;
  }
}
