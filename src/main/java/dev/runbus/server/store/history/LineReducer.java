package dev.runbus.server.store.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reduces a stored history line to chosen keys: {@code {"_step": x, "k1": v1, ...}}, the keys in
 * the order asked, absent ones left out. A key names a top-level field or, dotted, a nested one
 * ({@code a.b}); its value is copied whole (objects and arrays too). Numbers are written as {@link
 * HistoryJson#appendDouble} writes them, so that lines rebuilt from column blocks read the same.
 */
final class LineReducer {
  private static final long EXACT_INT_LIMIT = 1L << 53;

  private final List<String> keys;
  private final Map<String, Integer> index = new HashMap<>();
  private final Set<String> prefixes = new HashSet<>();
  private final String[] found;
  private final StringBuilder value = new StringBuilder();
  private long step;
  private boolean hasStep;

  /** {@code keys}: distinct, without {@code _step} (always written). */
  LineReducer(List<String> keys) {
    this.keys = keys;
    for (int i = 0; i < keys.size(); i++) {
      String k = keys.get(i);
      index.put(k, i);
      for (int dot = k.indexOf('.'); dot >= 0; dot = k.indexOf('.', dot + 1)) {
        prefixes.add(k.substring(0, dot));
      }
    }
    found = new String[keys.size()];
  }

  String reduce(String line, long lineNumber) {
    java.util.Arrays.fill(found, null);
    hasStep = false;
    try (JsonParser p = HistoryJson.FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalStateException("a stored history line is not an object");
      }
      readObject(p, null, true);
    } catch (IOException e) {
      throw new IllegalStateException("a stored history line does not parse", e);
    }
    StringBuilder out = new StringBuilder(32 + 24 * keys.size());
    out.append("{\"_step\":").append(hasStep ? step : lineNumber);
    for (int i = 0; i < found.length; i++) {
      if (found[i] != null) {
        out.append(',');
        HistoryJson.appendString(out, keys.get(i));
        out.append(':').append(found[i]);
      }
    }
    return out.append('}').toString();
  }

  private void readObject(JsonParser p, String prefix, boolean top) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String key = prefix == null ? name : prefix + "." + name;
      JsonToken t = p.nextToken();
      if (top && HistoryJson.STEP.equals(name)) {
        hasStep = false;
        if (t == JsonToken.VALUE_NUMBER_INT
            && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          long l = p.getLongValue();
          if (l > -EXACT_INT_LIMIT && l < EXACT_INT_LIMIT) {
            step = l;
            hasStep = true;
          }
        }
      }
      Integer at = index.get(key);
      if (at != null) {
        value.setLength(0);
        copy(p, t, value);
        found[at] = value.toString();
      } else if (t == JsonToken.START_OBJECT && prefixes.contains(key)) {
        readObject(p, key, false);
      } else {
        p.skipChildren();
      }
    }
  }

  private static void copy(JsonParser p, JsonToken t, StringBuilder out) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        out.append('{');
        boolean first = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          if (!first) {
            out.append(',');
          }
          first = false;
          HistoryJson.appendString(out, p.currentName());
          out.append(':');
          copy(p, p.nextToken(), out);
        }
        out.append('}');
      }
      case START_ARRAY -> {
        out.append('[');
        boolean first = true;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
          if (!first) {
            out.append(',');
          }
          first = false;
          copy(p, e, out);
        }
        out.append(']');
      }
      case VALUE_NUMBER_INT -> {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          out.append(p.getText());
        } else {
          out.append(p.getLongValue());
        }
      }
      case VALUE_NUMBER_FLOAT -> HistoryJson.appendDouble(out, p.getDoubleValue(), false);
      case VALUE_STRING -> HistoryJson.appendString(out, p.getText());
      case VALUE_TRUE -> out.append("true");
      case VALUE_FALSE -> out.append("false");
      default -> out.append("null");
    }
  }
}
