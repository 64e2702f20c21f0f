package dev.runbus.json;

import java.util.Collection;
import java.util.Map;

/**
 * Writes W&amp;B's {@code files/config.yaml} in the legacy layout, without a YAML library:
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
 * <p>Block style throughout, sequences inside mappings not indented (as PyYAML writes them), {@code
 * {}} and {@code []} for empty containers. The output is YAML 1.1 that PyYAML's {@code safe_load}
 * reads back as exactly the given values; see {@link YamlScalars} for quoting.
 */
public final class YamlWriter {

  /** Beyond this a cycle or a broken value is more likely than real config. */
  private static final int MAX_DEPTH = 1000;

  /** PyYAML rejects implicit keys longer than 1024 characters; longer ones use "? key". */
  private static final int MAX_IMPLICIT_KEY = 1000;

  private YamlWriter() {}

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
    StringBuilder sb = new StringBuilder(256);
    sb.append("wandb_version: 1\n\n");
    for (Map.Entry<String, ?> entry : config.entrySet()) {
      String key = entry.getKey();
      if (key == null || key.equals("wandb_version")) {
        throw new IllegalArgumentException(
            "config key "
                + (key == null ? "null" : Messages.quote(key))
                + " cannot be written to config.yaml");
      }
      appendKey(sb, key, 0);
      sb.append("\n  desc: null\n  value:");
      appendAfterKey(sb, entry.getValue(), 2, 1);
    }
    return sb.toString();
  }

  /** The value of a mapping entry whose key, at {@code indent}, ends the current line with ':'. */
  private static void appendAfterKey(StringBuilder sb, Object value, int indent, int depth) {
    Object v = checked(value, depth);
    if (v instanceof Map<?, ?> map && !map.isEmpty()) {
      sb.append('\n');
      appendEntries(sb, map, indent + 2, false, depth);
    } else if (v instanceof Collection<?> list && !list.isEmpty()) {
      sb.append('\n');
      appendItems(sb, list, indent, false, depth);
    } else {
      sb.append(' ');
      appendScalar(sb, v);
      sb.append('\n');
    }
  }

  /** A sequence item's value, right after "- "; nested collections start on the same line. */
  private static void appendAfterDash(StringBuilder sb, Object value, int indent, int depth) {
    Object v = checked(value, depth);
    if (v instanceof Map<?, ?> map && !map.isEmpty()) {
      appendEntries(sb, map, indent, true, depth);
    } else if (v instanceof Collection<?> list && !list.isEmpty()) {
      appendItems(sb, list, indent, true, depth);
    } else {
      appendScalar(sb, v);
      sb.append('\n');
    }
  }

  private static void appendEntries(
      StringBuilder sb, Map<?, ?> map, int indent, boolean onDashLine, int depth) {
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new IllegalArgumentException(
            "config map keys must be strings, got "
                + (entry.getKey() == null ? "null" : entry.getKey().getClass().getName()));
      }
      if (!(first && onDashLine)) {
        indent(sb, indent);
      }
      first = false;
      appendKey(sb, key, indent);
      appendAfterKey(sb, entry.getValue(), indent, depth + 1);
    }
  }

  private static void appendItems(
      StringBuilder sb, Collection<?> list, int indent, boolean onDashLine, int depth) {
    boolean first = true;
    for (Object item : list) {
      if (!(first && onDashLine)) {
        indent(sb, indent);
      }
      first = false;
      sb.append("- ");
      appendAfterDash(sb, item, indent + 2, depth + 1);
    }
  }

  /** Writes "key:" (or, for a very long key, "? key" and ':' on the next line). */
  private static void appendKey(StringBuilder sb, String key, int indent) {
    int start = sb.length();
    YamlScalars.appendString(sb, key);
    if (sb.length() - start > MAX_IMPLICIT_KEY) {
      sb.insert(start, "? ").append('\n');
      indent(sb, indent);
    }
    sb.append(':');
  }

  private static void appendScalar(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      YamlScalars.appendString(sb, s);
    } else if (v instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (v instanceof Number n) {
      YamlScalars.appendNumber(sb, n);
    } else if (v instanceof Map) {
      sb.append("{}");
    } else if (v instanceof Collection) {
      sb.append("[]");
    } else {
      throw new IllegalArgumentException(
          "config value of type " + v.getClass().getName() + " cannot be written to config.yaml");
    }
  }

  private static Object checked(Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "config value is nested deeper than " + MAX_DEPTH + " levels");
    }
    return value instanceof JsonText t ? JsonValues.parse(t.json()) : value;
  }

  private static void indent(StringBuilder sb, int spaces) {
    for (int i = 0; i < spaces; i++) {
      sb.append(' ');
    }
  }
}
