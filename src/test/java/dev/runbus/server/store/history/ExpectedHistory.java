package dev.runbus.server.store.history;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the store must answer, computed the plain way from the input lines with Jackson's tree
 * model: an independent statement of the rules in docs/server.md ("History storage").
 */
final class ExpectedHistory {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private final List<JsonNode> rows = new ArrayList<>();

  ExpectedHistory(List<String> lines) {
    for (String line : lines) {
      try {
        rows.add(JSON.readTree(line));
      } catch (Exception e) {
        throw new IllegalArgumentException(line, e);
      }
    }
  }

  long x(int line) {
    JsonNode step = rows.get(line).get("_step");
    return step != null
            && step.canConvertToExactIntegral()
            && step.isIntegralNumber()
            && Math.abs(step.asLong()) < (1L << 53)
        ? step.asLong()
        : line;
  }

  /** Flattened keys: nested objects as a.b, except objects carrying _type. */
  List<String> keys() {
    TreeSet<String> keys = new TreeSet<>();
    for (JsonNode row : rows) {
      flatten(row, null, (k, v) -> keys.add(k));
    }
    keys.add("_step");
    return new ArrayList<>(keys);
  }

  private interface Visitor {
    void value(String key, JsonNode v);
  }

  private static void flatten(JsonNode obj, String prefix, Visitor visitor) {
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix == null ? e.getKey() : prefix + "." + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject() && !v.has("_type")) {
        flatten(v, key, visitor);
      } else {
        visitor.value(key, v);
      }
    }
  }

  /** Line {@code line} reduced to {@code keys}: _step first, then the keys as asked. */
  String reduced(int line, List<String> keys) {
    StringBuilder out = new StringBuilder("{\"_step\":").append(x(line));
    for (String k : new java.util.LinkedHashSet<>(keys)) {
      if (k.equals("_step")) {
        continue;
      }
      JsonNode v = find(rows.get(line), k);
      if (v != null) {
        out.append(',').append(quote(k)).append(':');
        write(v, out);
      }
    }
    return out.append('}').toString();
  }

  private static JsonNode find(JsonNode obj, String key) {
    if (obj.has(key)) {
      return obj.get(key);
    }
    for (int dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
      JsonNode inner = obj.get(key.substring(0, dot));
      if (inner != null && inner.isObject()) {
        JsonNode found = find(inner, key.substring(dot + 1));
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void write(JsonNode v, StringBuilder out) {
    if (v.isObject()) {
      out.append('{');
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.append(first ? "" : ",").append(quote(e.getKey())).append(':');
        write(e.getValue(), out);
        first = false;
      }
      out.append('}');
    } else if (v.isArray()) {
      out.append('[');
      for (int i = 0; i < v.size(); i++) {
        out.append(i == 0 ? "" : ",");
        write(v.get(i), out);
      }
      out.append(']');
    } else if (v.isIntegralNumber() && v.canConvertToLong()) {
      out.append(v.asLong());
    } else if (v.isIntegralNumber()) {
      out.append(v.bigIntegerValue());
    } else if (v.isNumber()) {
      double d = v.asDouble();
      out.append(
          Double.isNaN(d)
              ? "NaN"
              : d == Double.POSITIVE_INFINITY
                  ? "Infinity"
                  : d == Double.NEGATIVE_INFINITY ? "-Infinity" : Double.toString(d));
    } else if (v.isTextual()) {
      out.append(quote(v.asText()));
    } else {
      out.append(v.toString());
    }
  }

  record Point(long step, long line, double value) {}

  /** The sampling rule, by brute force over every value. */
  Series sampled(String key, int points) {
    List<Point> numbers = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      int line = i;
      if (key.equals("_step")) {
        numbers.add(new Point(x(line), line, x(line)));
        continue;
      }
      JsonNode[] last = new JsonNode[1];
      flatten(
          rows.get(i),
          null,
          (k, v) -> {
            if (k.equals(key)) {
              last[0] = v;
            }
          });
      if (last[0] != null && last[0].isNumber()) {
        numbers.add(new Point(x(line), line, last[0].asDouble()));
      }
    }
    Comparator<Point> order = Comparator.comparingLong(Point::step).thenComparingLong(Point::line);
    if (numbers.size() <= points) {
      List<Point> kept =
          numbers.stream().filter(p -> !Double.isNaN(p.value())).sorted(order).toList();
      return Series.of(kept);
    }
    long lo = numbers.stream().mapToLong(Point::step).min().orElseThrow();
    long hi = numbers.stream().mapToLong(Point::step).max().orElseThrow();
    int n = Math.max(1, points / 2);
    Point[] min = new Point[n];
    Point[] max = new Point[n];
    Comparator<Point> byValue = Comparator.comparingDouble(Point::value).thenComparing(order);
    Comparator<Point> byValueDesc =
        Comparator.comparingDouble((Point p) -> -p.value()).thenComparing(order);
    for (Point p : numbers) {
      if (Double.isNaN(p.value())) {
        continue;
      }
      int b =
          (int)
              Math.max(
                  0,
                  Math.min(
                      n - 1, Math.floor(((double) p.step() - lo) * n / ((double) hi - lo + 1))));
      if (min[b] == null || byValue.compare(p, min[b]) < 0) {
        min[b] = p;
      }
      if (max[b] == null || byValueDesc.compare(p, max[b]) < 0) {
        max[b] = p;
      }
    }
    List<Point> kept = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      if (min[b] == null) {
        continue;
      }
      List<Point> two = new ArrayList<>(List.of(min[b]));
      if (max[b].line() != min[b].line()) {
        two.add(max[b]);
      }
      two.sort(order);
      kept.addAll(two);
    }
    return Series.of(kept);
  }

  record Series(List<Long> steps, List<Double> values) {
    static Series of(List<Point> points) {
      return new Series(
          points.stream().map(Point::step).toList(), points.stream().map(Point::value).toList());
    }
  }
}
