package dev.runbus.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON for the read API. Stored texts (config, summary, history and events lines) come from W&B's
 * clients and may hold bare {@code NaN}, {@code Infinity} and {@code -Infinity}, which JSON
 * readers refuse; everything this API writes is plain JSON, with those three as the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}.
 */
final class FiniteJson {
  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
          .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .build();

  private FiniteJson() {}

  /** A generator writing into {@code out}; non-finite doubles come out as strings. */
  static JsonGenerator generator(ByteArrayOutputStream out) {
    try {
      return FACTORY.createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * True when a stored text may hold a non-finite number, or a line break that would split an
   * NDJSON line, and must be rewritten: a cheap test that lets the common line through untouched
   * (a string merely containing the word is rewritten needlessly, and correctly).
   */
  static boolean needsRewrite(String json) {
    return json.contains("NaN")
        || json.contains("Infinity")
        || json.indexOf('\n') >= 0
        || json.indexOf('\r') >= 0;
  }

  /**
   * Writes a stored JSON text as a value: as it is when it can be, else rewritten; a text that is
   * not JSON (the store checked it when it took it) is written as null, keeping the answer whole.
   */
  static void writeStored(String text, JsonGenerator gen) throws IOException {
    if (text != null && !text.isBlank() && !needsRewrite(text)) {
      gen.writeRawValue(text);
      return;
    }
    String plain;
    try {
      plain = toPlainJson(text == null ? "" : text);
    } catch (IOException notJson) {
      gen.writeNull();
      return;
    }
    gen.writeRawValue(plain);
  }

  /**
   * Copies one JSON value from {@code text} into {@code gen}, writing non-finite numbers as strings
   * and every other token exactly as it was. An empty or blank text is written as {@code {}}.
   *
   * @throws IOException when the text is not JSON
   */
  static void copy(String text, JsonGenerator gen) throws IOException {
    if (text == null || text.isBlank()) {
      gen.writeStartObject();
      gen.writeEndObject();
      return;
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      int depth = 0;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.VALUE_NUMBER_FLOAT && p.isNaN()) {
          gen.writeNumber(p.getDoubleValue()); // a string, by WRITE_NAN_AS_STRINGS
        } else {
          gen.copyCurrentEventExact(p);
        }
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        }
        if (depth == 0) {
          break; // one value: trailing text is not ours to copy
        }
      }
    }
  }

  /** {@code text} rewritten as plain JSON (see {@link #copy}). */
  static String toPlainJson(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
    try (JsonGenerator gen = generator(out)) {
      copy(text, gen);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
