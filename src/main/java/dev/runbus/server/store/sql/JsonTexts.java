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
