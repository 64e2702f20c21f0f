package dev.runbus.service.bridge;

import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values to the Java values the Java API takes, and back for answers. JSON has no NaN or
 * ±Infinity, which the Java API accepts, so a frame spells them {@code {"$float": "NaN"}}, {@code
 * "Infinity"} or {@code "-Infinity"}. Nothing is checked here beyond that: every rule on keys and
 * values is the Java API's. What a frame's values may weigh is bounded (strings at two bytes per
 * char, as the Java API measures queued rows), because the bridge itself takes frames of any size.
 */
final class BridgeValues {

  static final String FLOAT_TAG = "$float";

  private final long maxBytes;
  private long bytes;

  private BridgeValues(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * The map {@code json} holds, for the Java API.
   *
   * @param what the frame field it came from, for messages
   * @throws ServiceException RESOURCE_EXHAUSTED past {@code maxBytes}, INVALID_ARGUMENT for a
   *     malformed {@code $float}
   */
  static Map<String, Object> map(JsonObject json, String what, long maxBytes) {
    return new BridgeValues(maxBytes).object(json, what + ".");
  }

  private Map<String, Object> object(JsonObject json, String path) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : json) {
      count(16L + 2L * entry.getKey().length(), path + entry.getKey());
      map.put(entry.getKey(), value(entry.getValue(), path + entry.getKey()));
    }
    return map;
  }

  private Object value(Object json, String path) {
    if (json instanceof JsonObject object) {
      if (object.containsKey(FLOAT_TAG)) {
        count(16, path);
        return tagged(object, path);
      }
      return object(object, path + ".");
    }
    if (json instanceof Map<?, ?> raw) { // a JsonObject built from maps holds them as they are
      return value(new JsonObject(castMap(raw)), path);
    }
    if (json instanceof JsonArray array) {
      List<Object> list = new ArrayList<>(array.size());
      int i = 0;
      for (Object element : array) {
        count(16, path);
        list.add(value(element, path + "[" + i++ + "]"));
      }
      return list;
    }
    if (json instanceof List<?> raw) {
      return value(new JsonArray(new ArrayList<>(raw)), path);
    }
    if (json instanceof String text) {
      count(16L + 2L * text.length(), path);
      return text;
    }
    count(16, path); // numbers, booleans, null
    return json;
  }

  private static Double tagged(JsonObject object, String path) {
    Object spelled = object.getValue(FLOAT_TAG);
    if (object.size() == 1 && spelled instanceof String text) {
      switch (text) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw new ServiceException(
        ServiceStatus.INVALID_ARGUMENT,
        "value of " + path + ": " + object.encode() + " is not a float JSON cannot"
            + " spell; use {\"" + FLOAT_TAG + "\": \"NaN\"}, \"Infinity\" or \"-Infinity\"");
  }

  private void count(long weight, String path) {
    bytes += weight;
    if (bytes > maxBytes) {
      throw new ServiceException(
          ServiceStatus.RESOURCE_EXHAUSTED,
          "the frame's values weigh more than " + maxBytes + " bytes, the most the bridge takes in"
              + " one frame (at " + path + "); send less per frame");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> raw) {
    return (Map<String, Object>) raw;
  }

  /** A Java API answer (a summary, a config) as JSON, with non-finite floats spelled as above. */
  static Object toJson(Object value) {
    if (value instanceof Map<?, ?> map) {
      JsonObject json = new JsonObject();
      map.forEach((k, v) -> json.put(String.valueOf(k), toJson(v)));
      return json;
    }
    if (value instanceof List<?> list) {
      JsonArray json = new JsonArray();
      list.forEach(v -> json.add(toJson(v)));
      return json;
    }
    if (value instanceof Double d && !Double.isFinite(d)) {
      return new JsonObject().put(FLOAT_TAG, spell(d));
    }
    if (value instanceof Float f && !Float.isFinite(f)) {
      return new JsonObject().put(FLOAT_TAG, spell(f.doubleValue()));
    }
    return value;
  }

  private static String spell(double d) {
    return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
  }
}
