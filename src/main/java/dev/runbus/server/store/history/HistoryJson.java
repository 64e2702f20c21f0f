package dev.runbus.server.store.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;

/** The JSON reader for W&B history lines, which carry bare NaN, Infinity and -Infinity. */
final class HistoryJson {
  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build();

  /** W&B's key for the row's step, the x of every series. */
  static final String STEP = "_step";

  /** W&B marks its typed values (histograms, images, tables) with this key: not flattened. */
  static final String TYPE = "_type";

  private HistoryJson() {}

  /** A double as JSON text, with the bare words W&B's lines use for the non-finite ones. */
  static void appendDouble(StringBuilder out, double v, boolean isInt) {
    if (isInt) {
      out.append((long) v);
    } else if (Double.isNaN(v)) {
      out.append("NaN");
    } else if (Double.isInfinite(v)) {
      out.append(v > 0 ? "Infinity" : "-Infinity");
    } else {
      out.append(v);
    }
  }

  /** A string as a JSON string literal. */
  static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (ch < 0x20) {
            out.append(String.format("\\u%04x", (int) ch));
          } else {
            out.append(ch);
          }
        }
      }
    }
    out.append('"');
  }
}
