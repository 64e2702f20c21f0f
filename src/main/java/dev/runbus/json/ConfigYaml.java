package dev.runbus.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes W&amp;B's {@code files/config.yaml} in the legacy layout, through jackson-dataformat-yaml:
 *
 * <pre>
 * wandb_version: 1
 *
 * lr:
 *   desc: null
 *   value: 0.001
 * layers:
 *   desc: null
 *   value:
 *   - 64
 *   - 32
 * </pre>
 *
 * <p>The file must read back through PyYAML's {@code safe_load} (YAML 1.1) as exactly the values
 * given. Jackson's emitter takes care of the syntax (indentation, escapes, {@code {}} and {@code
 * []}, keys too long to be implicit); runbus adds what YAML 1.1 needs beyond it: strings plain only
 * when no YAML 1.1 reader takes them for something else ({@link Yaml11Quoting}), and floats in the
 * form YAML 1.1 reads as floats ({@code 1.0e+21}, {@code .nan}, {@code .inf}), where Java writes
 * {@code 1.0E21}, {@code NaN} and {@code Infinity}, which it reads as strings.
 */
public final class ConfigYaml {

  /** Beyond this a cycle or a broken value is more likely than real config. */
  private static final int MAX_DEPTH = 1000;

  private static final YAMLFactory YAML =
      YAMLFactory.builder()
          // the file starts with "wandb_version: 1", as W&B's does, not with "---"
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          // strings plain where YAML 1.1 reads them back as strings, as PyYAML writes them
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .stringQuotingChecker(new Yaml11Quoting())
          // a long string stays on one line instead of being folded at 80 columns
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          // the document and each key's {desc, value} mapping come on top of the config's depth
          .streamWriteConstraints(
              StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH + 2).build())
          .build();

  private ConfigYaml() {}

  /**
   * Returns the content of {@code config.yaml} for the given config, in its iteration order.
   *
   * @param config top-level config keys to values as {@link JsonValues#parse} returns them: maps
   *     with String keys, lists (any Collection), strings, numbers, booleans, null; a {@link
   *     JsonText} is parsed first
   * @throws IllegalArgumentException for another value type, a non-String map key, nesting deeper
   *     than 1000, or the top-level key {@code wandb_version}, which the file itself uses
   */
  public static String configYaml(Map<String, ?> config) {
    StringWriter out = new StringWriter(256);
    out.write("wandb_version: 1\n\n");
    if (config.isEmpty()) {
      return out.toString(); // Jackson would write "{}", which cannot follow the line above
    }
    try {
      // not closed on a refused value: a half-written document is dropped, not completed
      JsonGenerator yaml = YAML.createGenerator(out);
      yaml.writeStartObject();
      for (Map.Entry<String, ?> entry : config.entrySet()) {
        String key = entry.getKey();
        if (key == null || key.equals("wandb_version")) {
          throw new IllegalArgumentException(
              "config key "
                  + (key == null ? "null" : Messages.quote(key))
                  + " cannot be written to config.yaml");
        }
        yaml.writeFieldName(marked(key));
        yaml.writeStartObject();
        yaml.writeNullField("desc");
        yaml.writeFieldName("value");
        writeValue(yaml, entry.getValue(), 1);
        yaml.writeEndObject();
      }
      yaml.writeEndObject();
      yaml.close();
    } catch (IOException e) {
      throw new UncheckedIOException("writing YAML into memory failed", e);
    }
    return unmark(out.toString());
  }

  private static void writeValue(JsonGenerator yaml, Object value, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "config value is nested deeper than " + MAX_DEPTH + " levels");
    }
    Object v = value instanceof JsonText t ? JsonValues.parse(t.json()) : value;
    if (v == null) {
      yaml.writeNull();
    } else if (v instanceof String s) {
      yaml.writeString(marked(s));
    } else if (v instanceof Boolean b) {
      yaml.writeBoolean(b);
    } else if (v instanceof Number n) {
      writeNumber(yaml, Numbers.snapshot(n));
    } else if (v instanceof Map<?, ?> map) {
      yaml.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "config map keys must be strings, got "
                  + (entry.getKey() == null ? "null" : entry.getKey().getClass().getName()));
        }
        yaml.writeFieldName(marked(key));
        writeValue(yaml, entry.getValue(), depth + 1);
      }
      yaml.writeEndObject();
    } else if (v instanceof Collection<?> list) {
      yaml.writeStartArray();
      for (Object item : list) {
        writeValue(yaml, item, depth + 1);
      }
      yaml.writeEndArray();
    } else {
      throw new IllegalArgumentException(
          "config value of type " + v.getClass().getName() + " cannot be written to config.yaml");
    }
  }

  /**
   * Marks what the emitter cannot write itself. SnakeYAML's emitter does not escape an unpaired
   * surrogate (it merges a lone high surrogate with the next character: "a\uD800b" would become
   * "a②b"), while PyYAML, like JSON, writes and reads one as a {@code \\uXXXX} escape. So each
   * unpaired surrogate, and each {@link #MARK} already in the text, is handed to the emitter as
   * {@code MARK XXXX END}; {@link Yaml11Quoting} double-quotes every string holding a mark, and
   * {@link #unmark} turns each marked run into the escape afterwards.
   */
  static final char MARK = '\uE000';

  private static final char END = '\uE001';

  private static String marked(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
      if (pair) {
        if (out != null) {
          out.append(c).append(s.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (Character.isSurrogate(c) || c == MARK) {
        if (out == null) {
          out = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        out.append(MARK).append(String.format("%04X", (int) c)).append(END);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** The emitted text with every marked run as its double-quoted escape. */
  private static String unmark(String yaml) {
    int mark = yaml.indexOf(MARK);
    if (mark < 0) {
      return yaml;
    }
    StringBuilder out = new StringBuilder(yaml.length());
    int from = 0;
    for (; mark >= 0; mark = yaml.indexOf(MARK, from)) {
      out.append(yaml, from, mark).append("\\u").append(yaml, mark + 1, mark + 5);
      from = mark + 6; // MARK, four hex digits, END
    }
    return out.append(yaml, from, yaml.length()).toString();
  }

  private static void writeNumber(JsonGenerator yaml, Number n) throws IOException {
    if (n instanceof Double d) {
      yaml.writeNumber(yaml11Float(d, JsonWriter.doubleToJson(d)));
    } else if (n instanceof Float f) {
      yaml.writeNumber(yaml11Float(f, JsonWriter.floatToJson(f)));
    } else if (n instanceof BigDecimal d) {
      yaml.writeNumber(yaml11Float(d.toString()));
    } else if (n instanceof BigInteger i) {
      yaml.writeNumber(i);
    } else {
      yaml.writeNumber(n.longValue()); // Long, Integer, Short, Byte after the snapshot
    }
  }

  private static String yaml11Float(double d, String json) {
    if (Double.isNaN(d)) {
      return ".nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? ".inf" : "-.inf";
    }
    return yaml11Float(json);
  }

  /**
   * A finite number as YAML 1.1 reads a float: a dot in the mantissa and a sign in the exponent
   * ({@code 1.0E21} → {@code 1.0e+21}, {@code 12} → {@code 12.0}); without them it is a string, or
   * an integer.
   */
  static String yaml11Float(String number) {
    int e = Math.max(number.indexOf('E'), number.indexOf('e'));
    String mantissa = e < 0 ? number : number.substring(0, e);
    StringBuilder sb = new StringBuilder(number.length() + 3).append(mantissa);
    if (mantissa.indexOf('.') < 0) {
      sb.append(".0");
    }
    if (e >= 0) {
      sb.append('e');
      char sign = number.charAt(e + 1);
      if (sign != '-' && sign != '+') {
        sb.append('+');
      }
      sb.append(number, e + 1, number.length());
    }
    return sb.toString();
  }
}
