package dev.runbus.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses JSON text into plain Java values, for slow paths (resume, summaries, config files).
 *
 * <p>Uses Jackson's streaming parser directly: databind's {@code ObjectMapper} would add start-up
 * cost and give {@code Integer} or {@code Long} depending on magnitude.
 */
public final class JsonValues {

  private JsonValues() {}

  /**
   * Created on first use, so loading this class costs nothing at start-up. Jackson's default read
   * limits (1,000-digit numbers, 20M-character strings) guard servers against hostile input; here
   * the text is what runbus itself wrote from a value it accepted, so any limit would only refuse a
   * logged {@code BigInteger} or string that is already in the log.
   */
  private static final class Factory {
    static final JsonFactory INSTANCE =
        JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // W&B writes bare NaN/Infinity
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();
  }

  /**
   * Parses one JSON value: objects become {@link LinkedHashMap} (order kept, a repeated name keeps
   * its last value), arrays {@link ArrayList}, integers {@link Long} ({@link java.math.BigInteger}
   * beyond the long range), other numbers {@link Double} (including {@code NaN}, {@code Infinity},
   * {@code -Infinity}), then {@link String}, {@link Boolean} and {@code null}.
   *
   * @throws IllegalArgumentException if {@code json} is not exactly one valid JSON value
   */
  public static Object parse(String json) {
    try (JsonParser parser = Factory.INSTANCE.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new IllegalArgumentException("not valid JSON: no value in " + Messages.quote(json));
      }
      Object value = read(parser, first);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException(
            "not valid JSON: more than one value in " + Messages.quote(json));
      }
      return value;
    } catch (IOException e) { // includes JsonProcessingException: the message says where
      throw new IllegalArgumentException("not valid JSON: " + originalMessage(e), e);
    }
  }

  private static String originalMessage(IOException e) {
    if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
      return jpe.getOriginalMessage() + " at " + jpe.getLocation().offsetDescription();
    }
    return e.getMessage();
  }

  /** Recursion is bounded by Jackson's nesting limit (StreamReadConstraints, 1000 by default). */
  private static Object read(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        {
          Map<String, Object> map = new LinkedHashMap<>();
          for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            map.put(name, read(parser, parser.nextToken()));
          }
          return map;
        }
      case START_ARRAY:
        {
          List<Object> list = new ArrayList<>();
          for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            list.add(read(parser, t));
          }
          return list;
        }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue()
            : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IllegalStateException("unexpected JSON token " + token);
    }
  }
}
