package dev.runbus.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.runbus.json.JsonWriter;

/**
 * Jackson trees for the slow paths only: values that must be looked inside (nested dicts under a metric
 * definition, explicit nested summary updates, media pointers). §1.8: NaN and ±Infinity are read
 * and written as bare tokens.
 */
final class JsonTrees {
  /** Built on first use: a mapper costs a noticeable start-up, and most runs never need one. */
  private static final class Holder {
    static final JsonMapper MAPPER =
        JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();
  }

  private JsonTrees() {}

  /** The parsed value, or null when the text is not JSON. */
  static JsonNode parse(String json) {
    try {
      return Holder.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Compact JSON text of a value. */
  static String write(JsonNode node) {
    try {
      return Holder.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a parsed JSON tree", e);
    }
  }

  /** Appends a JSON string literal. */
  static void appendQuoted(StringBuilder out, String s) {
    JsonWriter.appendString(out, s);
  }
}
