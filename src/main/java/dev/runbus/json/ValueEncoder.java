package dev.runbus.json;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Encodes one value, containers included, while checking it: supported types only, String map keys,
 * no cycles, at most {@link LogValues#MAX_DEPTH} levels. Errors name the path of the offending
 * element, e.g. {@code model.layers[3].weights}.
 *
 * <p>One instance per encoded value; not thread-safe. Recursion is bounded by the depth limit, so
 * large or deep input cannot overflow the stack.
 */
final class ValueEncoder {

  private static final String USE_INSTEAD =
      "which cannot be serialised to JSON; use numbers, booleans, strings, lists, arrays or maps";

  private static final int MAX_PATH_SHOWN = 200;

  private final StringBuilder out;

  /** The call the value was given to and its top-level key, for messages; null outside of one. */
  private final String call;

  private final String key;

  // Per open container, from the outside in: the container itself (to spot cycles) and the
  // child being encoded (a map key, or an index when the key is null). Grown on demand.
  private Object[] open = new Object[4];
  private String[] childKeys = new String[4];
  private int[] childIndexes = new int[4];
  private int depth;

  ValueEncoder(StringBuilder out, String call, String key) {
    this.out = out;
    this.call = call;
    this.key = key;
  }

  void append(Object v) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof Number n) {
      JsonWriter.appendNumber(out, n);
    } else if (v instanceof String s) {
      JsonWriter.appendString(out, s);
    } else if (v instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (v instanceof JsonText t) {
      out.append(t.json());
    } else if (v instanceof Character c) {
      JsonWriter.appendString(out, c.toString());
    } else if (v instanceof Enum<?> e) {
      JsonWriter.appendString(out, e.name());
    } else if (v instanceof Map<?, ?> m) {
      appendMap(m);
    } else if (v instanceof Collection<?> c) {
      appendCollection(c);
    } else if (v.getClass().isArray()) {
      appendArray(v);
    } else {
      throw unsupported(v);
    }
  }

  private void appendMap(Map<?, ?> map) {
    int level = enter(map);
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String k)) {
        throw badMapKey(entry.getKey());
      }
      if (k.length() > LogValues.MAX_NESTED_KEY_LENGTH) {
        throw longMapKey(k);
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      childKeys[level] = k;
      JsonWriter.appendString(out, k);
      out.append(':');
      append(entry.getValue());
    }
    out.append('}');
    leave();
  }

  private void appendCollection(Collection<?> collection) {
    int level = enter(collection);
    out.append('[');
    int i = 0;
    for (Object element : collection) {
      if (i > 0) {
        out.append(',');
      }
      childIndexes[level] = i++;
      append(element);
    }
    out.append(']');
    leave();
  }

  private void appendArray(Object array) {
    int level = enter(array);
    out.append('[');
    if (array instanceof Object[] objects) {
      for (int i = 0; i < objects.length; i++) {
        comma(i);
        childIndexes[level] = i;
        append(objects[i]);
      }
    } else {
      appendPrimitives(array);
    }
    out.append(']');
    leave();
  }

  /** Primitive elements cannot fail, so no path bookkeeping here. */
  private void appendPrimitives(Object array) {
    if (array instanceof double[] a) {
      for (int i = 0; i < a.length; i++) {
        comma(i);
        JsonWriter.appendDouble(out, a[i]);
      }
    } else if (array instanceof float[] a) {
      for (int i = 0; i < a.length; i++) {
        comma(i);
        JsonWriter.appendFloat(out, a[i]);
      }
    } else if (array instanceof long[] a) {
      for (int i = 0; i < a.length; i++) {
        comma(i);
        out.append(a[i]);
      }
    } else if (array instanceof int[] a) {
      for (int i = 0; i < a.length; i++) {
        comma(i);
        out.append(a[i]);
      }
    } else if (array instanceof short[] a) {
      for (int i = 0; i < a.length; i++) {
        comma(i);
        out.append(a[i]);
      }
    } else if (array instanceof byte[] a) { // numbers, not base64: what a list of ints would give
      for (int i = 0; i < a.length; i++) {
        comma(i);
        out.append(a[i]);
      }
    } else if (array instanceof boolean[] a) {
      for (int i = 0; i < a.length; i++) {
        comma(i);
        out.append(a[i]);
      }
    } else if (array instanceof char[] a) { // one-character strings, as a Character would give
      for (int i = 0; i < a.length; i++) {
        comma(i);
        JsonWriter.appendString(out, String.valueOf(a[i]));
      }
    } else {
      throw new IllegalStateException("unknown array type " + array.getClass()); // all 8 are above
    }
  }

  private void comma(int i) {
    if (i > 0) {
      out.append(',');
    }
  }

  /** Opens a container level after checking for cycles and depth; returns the level's slot. */
  private int enter(Object container) {
    for (int i = 0; i < depth; i++) {
      if (open[i] == container) {
        throw new IllegalArgumentException(subject() + " contains a cycle at " + path(depth));
      }
    }
    if (depth == LogValues.MAX_DEPTH) {
      throw new IllegalArgumentException(
          subject()
              + " is nested deeper than "
              + LogValues.MAX_DEPTH
              + " levels at "
              + path(depth));
    }
    if (depth == open.length) {
      int size = Math.min(depth * 2, LogValues.MAX_DEPTH);
      open = Arrays.copyOf(open, size);
      childKeys = Arrays.copyOf(childKeys, size);
      childIndexes = Arrays.copyOf(childIndexes, size);
    }
    open[depth] = container;
    childKeys[depth] = null;
    return depth++;
  }

  private void leave() {
    open[--depth] = null; // do not keep the caller's objects reachable
  }

  private IllegalArgumentException unsupported(Object v) {
    String type = v.getClass().getName();
    if (depth == 0) {
      return new IllegalArgumentException(subject() + " has type " + type + ", " + USE_INSTEAD);
    }
    return new IllegalArgumentException(
        subject() + " contains type " + type + " at " + path(depth) + ", " + USE_INSTEAD);
  }

  private IllegalArgumentException badMapKey(Object mapKey) {
    String what =
        mapKey == null ? "a null map key" : "a map key of type " + mapKey.getClass().getName();
    return new IllegalArgumentException(
        subject()
            + " contains "
            + what
            + " in the map at "
            + path(depth - 1)
            + "; map keys must be strings");
  }

  private IllegalArgumentException longMapKey(String mapKey) {
    return new IllegalArgumentException(
        subject()
            + " contains a map key of "
            + mapKey.length()
            + " characters, "
            + Messages.quote(mapKey)
            + ", in the map at "
            + path(depth - 1)
            + "; map keys inside values may have at most "
            + LogValues.MAX_NESTED_KEY_LENGTH);
  }

  private String subject() {
    return key == null ? "JSON value" : call + " value for key " + Messages.quote(key);
  }

  /**
   * The path through the outermost {@code levels} open containers to the child being encoded, e.g.
   * {@code a.b[3]}; the root is named by the log key. Long keys and deep paths are cut.
   */
  private String path(int levels) {
    StringBuilder sb =
        new StringBuilder(Messages.shorten(key == null ? "value" : key, Messages.SHOWN_CHARS));
    for (int i = 0; i < levels; i++) {
      if (sb.length() > MAX_PATH_SHOWN) {
        return sb.append("…(").append(levels - i).append(" more)").toString();
      }
      String childKey = childKeys[i];
      if (childKey != null) {
        sb.append('.').append(Messages.shorten(childKey, Messages.SHOWN_CHARS));
      } else {
        sb.append('[').append(childIndexes[i]).append(']');
      }
    }
    return sb.toString();
  }
}
