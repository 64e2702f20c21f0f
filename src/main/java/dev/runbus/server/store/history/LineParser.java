package dev.runbus.server.store.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.runbus.server.store.BadInputException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads one history line into its x and its flattened values: nested objects become {@code a.b}
 * keys (as W&B's charts name them), except W&B's typed values (objects with a {@code _type}), which
 * stay one non-numeric value. Numbers keep whether they were integers; an integer a double cannot
 * hold exactly is also marked as "other", so that reads of its key go back to the raw line. One
 * parser is reused line after line and is not thread-safe.
 */
final class LineParser {
  static final byte FLOAT = 1;
  static final byte INT = 2;
  static final byte INEXACT_INT = 3;
  static final byte OTHER = 4;

  private static final long EXACT_INT_LIMIT = 1L << 53;

  /** The line's {@code _step} when it is an integer, else -1 with {@link #hasStep} false. */
  long step;

  boolean hasStep;
  int size;
  String[] keys = new String[16];
  double[] values = new double[16];
  byte[] kinds = new byte[16];

  private final FlatLine flat = new FlatLine();

  /** Parses {@code line}; throws {@link BadInputException} when it is not a JSON object. */
  void parse(String line, long lineNumber) {
    size = 0;
    hasStep = false;
    step = -1;
    if (!flat.parse(this, line)) {
      parseGeneral(line, lineNumber);
    }
  }

  /** Parses {@code line} with Jackson alone (the flat fast path's reference, for tests). */
  void parseGeneral(String line, long lineNumber) {
    size = 0;
    hasStep = false;
    step = -1;
    try (JsonParser p = HistoryJson.FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw notAnObject(lineNumber);
      }
      readObject(p, null, true);
      if (p.nextToken() != null) {
        throw notAnObject(lineNumber);
      }
    } catch (IOException e) {
      throw notAnObject(lineNumber);
    }
  }

  /** A top-level integer field, as {@link #readObject} records it. */
  void addTopInt(String key, long l) {
    boolean exact = l > -EXACT_INT_LIMIT && l < EXACT_INT_LIMIT;
    if (HistoryJson.STEP.equals(key)) {
      hasStep = exact;
      step = exact ? l : -1;
    }
    add(key, l, exact ? INT : INEXACT_INT);
  }

  /** A top-level float field, as {@link #readObject} records it. */
  void addTopFloat(String key, double d) {
    if (HistoryJson.STEP.equals(key)) {
      hasStep = false;
      step = -1;
    }
    add(key, d, FLOAT);
  }

  private static BadInputException notAnObject(long lineNumber) {
    return new BadInputException(
        "wandb-history.jsonl line " + lineNumber + " is not one JSON object");
  }

  /** Reads fields up to the END_OBJECT; returns whether the object had a {@code _type} field. */
  private boolean readObject(JsonParser p, String prefix, boolean top) throws IOException {
    boolean typed = false;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (name.indexOf('\0') >= 0) {
        throw new IOException("a key holds a NUL character"); // no database's TEXT takes it
      }
      String key = prefix == null ? name : prefix + "." + name;
      JsonToken v = p.nextToken();
      if (top && HistoryJson.STEP.equals(name)) {
        hasStep = false; // the last _step of the line decides, as for every other key
        step = -1;
      }
      if (!top && HistoryJson.TYPE.equals(name)) {
        typed = true;
      }
      switch (v) {
        case VALUE_NUMBER_INT -> {
          if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            add(key, p.getDoubleValue(), INEXACT_INT);
          } else {
            long l = p.getLongValue();
            boolean exact = l > -EXACT_INT_LIMIT && l < EXACT_INT_LIMIT;
            add(key, l, exact ? INT : INEXACT_INT);
            if (top && exact && HistoryJson.STEP.equals(name)) {
              step = l;
              hasStep = true;
            }
          }
        }
        case VALUE_NUMBER_FLOAT -> add(key, p.getDoubleValue(), FLOAT);
        case START_OBJECT -> {
          int mark = size;
          if (readObject(p, key, false)) {
            size = mark;
            add(key, 0, OTHER);
          }
        }
        case START_ARRAY -> {
          p.skipChildren();
          add(key, 0, OTHER);
        }
        default -> add(key, 0, OTHER);
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IOException("not an object");
    }
    return typed;
  }

  void add(String key, double value, byte kind) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
      kinds = Arrays.copyOf(kinds, size * 2);
    }
    keys[size] = key;
    values[size] = value;
    kinds[size] = kind;
    size++;
  }
}
