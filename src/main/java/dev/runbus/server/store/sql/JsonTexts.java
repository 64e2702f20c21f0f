package dev.runbus.server.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.runbus.server.store.BadInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as W&B's clients write it: objects whose numbers may be bare NaN, Infinity or -Infinity.
 * Texts are stored as sent; this class only checks them and reads numbers out of them.
 */
final class JsonTexts {
  static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  /** Summary keys kept for sorting, per run: enough for any real summary, bounded for a hostile one. */
  static final int MAX_SUMMARY_KEYS = 1000;
  private static final int MAX_DEPTH = 8;

  private JsonTexts() {}

  /** Parses a JSON object text; a text that is not one is bad input named by {@code what}. */
  static JsonNode object(String what, String text) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BadInputException(what + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new BadInputException(what + " is not a JSON object");
    }
    return node;
  }

  /**
   * The numbers of a summary, nested objects flattened with dots ({@code {"val":{"acc":1}}} gives
   * {@code val.acc}); NaN becomes null. At most {@link #MAX_SUMMARY_KEYS} keys.
   */
  static Map<String, Double> summaryNumbers(JsonNode summary) {
    Map<String, Double> out = new LinkedHashMap<>();
    flatten("", summary, out, 0);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Double> out, int depth) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext() && out.size() < MAX_SUMMARY_KEYS) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = prefix + f.getKey();
      JsonNode v = f.getValue();
      if (v.isNumber()) {
        double d = v.asDouble();
        out.put(key, Double.isNaN(d) ? null : d);
      } else if (v.isObject() && depth < MAX_DEPTH) {
        flatten(key + ".", v, out, depth + 1);
      }
    }
  }

  /** Config texts kept for sorting, per value: enough to order by, bounded for the index. */
  static final int MAX_CONFIG_TEXT = 1024;

  /** W&B's own entry in every config: its telemetry, not the user's settings. */
  static final String WANDB_CONFIG_KEY = "_wandb";

  /**
   * The values of a W&B-shaped config ({@code {key: {"value": v, "desc": d}}}) for sorting: a
   * number as a Double, a string or boolean as its text (cut to {@link #MAX_CONFIG_TEXT}), nested
   * objects flattened with dots as the summary's are; NaN, null, arrays and {@code _wandb} are
   * left out. An entry without {@code value} is taken as the value itself. At most {@link
   * #MAX_SUMMARY_KEYS} keys.
   */
  static Map<String, Object> configValues(JsonNode config) {
    Map<String, Object> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = config.fields();
    while (fields.hasNext() && out.size() < MAX_SUMMARY_KEYS) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (f.getKey().equals(WANDB_CONFIG_KEY)) {
        continue;
      }
      JsonNode entry = f.getValue();
      JsonNode value = entry.isObject() && entry.has("value") ? entry.get("value") : entry;
      configValue(f.getKey(), value, out, 0);
    }
    return out;
  }

  private static void configValue(String key, JsonNode v, Map<String, Object> out, int depth) {
    if (out.size() >= MAX_SUMMARY_KEYS) {
      return;
    }
    if (v.isNumber()) {
      double d = v.asDouble();
      if (!Double.isNaN(d)) {
        out.put(key, d);
      }
    } else if (v.isTextual() || v.isBoolean()) {
      String text = v.asText();
      out.put(key, text.length() > MAX_CONFIG_TEXT ? text.substring(0, MAX_CONFIG_TEXT) : text);
    } else if (v.isObject() && depth < MAX_DEPTH) {
      Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        configValue(key + "." + f.getKey(), f.getValue(), out, depth + 1);
      }
    }
  }

  /** A JSON array of strings, as stored in runs.tags. */
  static String stringArray(List<String> values) {
    try {
      return MAPPER.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> readStringArray(String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    try {
      for (JsonNode n : MAPPER.readTree(text)) {
        out.add(n.asText());
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored tags are not a JSON array", e);
    }
    return out;
  }
}
