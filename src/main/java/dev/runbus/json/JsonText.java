package dev.runbus.json;

import java.util.Objects;

/**
 * A value that is already encoded as the JSON text of exactly one JSON value.
 *
 * <p>{@link JsonWriter} writes it verbatim, so whoever creates one vouches that {@code json} is
 * valid; it is not re-parsed (that would cost as much as encoding it again).
 *
 * @param json the JSON text, e.g. {@code [1,2.5,"x"]}
 */
public record JsonText(String json) {

  public JsonText {
    Objects.requireNonNull(json, "json");
    if (json.isEmpty()) {
      throw new IllegalArgumentException("JsonText must hold one JSON value, got an empty string");
    }
  }
}
