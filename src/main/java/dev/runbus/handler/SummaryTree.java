package dev.runbus.handler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The consolidated summary as an ordered tree: each value is either a JSON text kept as it arrived
 * (a leaf, possibly an object that was never looked into) or a {@link Node} of children. Leaves are
 * parsed only when a path has to go through them.
 */
final class SummaryTree {
  /** An object whose children are JSON texts or nested nodes, in insertion order. */
  static final class Node extends LinkedHashMap<String, Object> {}

  private final Node root = new Node();

  Node root() {
    return root;
  }

  /** Sets a top-level value (hot path: a map put, no parsing). */
  void putTopLevel(String key, String json) {
    root.put(key, json);
  }

  /** Sets the value at a path, turning leaves on the way into objects. */
  void put(List<String> path, String json) {
    Node parent = root;
    for (int i = 0; i < path.size() - 1; i++) {
      parent = child(parent, path.get(i));
    }
    parent.put(path.get(path.size() - 1), json);
  }

  /** Deletes the value at a path; a missing path is not an error. */
  void remove(List<String> path) {
    Node parent = root;
    for (int i = 0; i < path.size() - 1; i++) {
      Object next = parent.get(path.get(i));
      if (next instanceof String json && json.startsWith("{")) {
        next = child(parent, path.get(i));
      }
      if (!(next instanceof Node node)) {
        return;
      }
      parent = node;
    }
    parent.remove(path.get(path.size() - 1));
  }

  /** The object node at a path, created (or converted from a leaf) as needed. */
  Node nodeAt(List<String> path) {
    Node node = root;
    for (String key : path) {
      node = child(node, key);
    }
    return node;
  }

  /**
   * The object child of {@code parent} under {@code key}. A leaf holding a JSON object is parsed
   * into a node; any other leaf is replaced by an empty node (a value that starts to get aggregates
   * becomes an object, §2.4).
   */
  static Node child(Node parent, String key) {
    Object value = parent.get(key);
    if (value instanceof Node node) {
      return node;
    }
    Node node = null;
    if (value instanceof String json && json.startsWith("{")) {
      JsonNode parsed = JsonTrees.parse(json);
      if (parsed != null && parsed.isObject()) {
        node = fromJson(parsed);
      }
    }
    if (node == null) {
      node = new Node();
    }
    parent.put(key, node);
    return node;
  }

  /** A parsed JSON object as a node whose non-object values are leaves. */
  static Node fromJson(JsonNode object) {
    Node node = new Node();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      node.put(field.getKey(), value.isObject() ? fromJson(value) : JsonTrees.write(value));
    }
    return node;
  }

  /** The value at a path, or null. */
  Object get(List<String> path) {
    Object value = root;
    for (String key : path) {
      if (value instanceof String json && json.startsWith("{")) {
        JsonNode parsed = JsonTrees.parse(json);
        value = parsed != null && parsed.isObject() ? fromJson(parsed) : null;
      }
      if (!(value instanceof Node node)) {
        return null;
      }
      value = node.get(key);
    }
    return value;
  }

  Set<String> keys() {
    return root.keySet();
  }

  /** Compact JSON text of a value; leaves are written as they arrived. */
  static String toJson(Object value) {
    if (value instanceof String json) {
      return json;
    }
    StringBuilder out = new StringBuilder();
    appendJson(out, value);
    return out.toString();
  }

  static void appendJson(StringBuilder out, Object value) {
    if (value instanceof String json) {
      out.append(json);
      return;
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> entry : ((Node) value).entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      JsonTrees.appendQuoted(out, entry.getKey());
      out.append(':');
      appendJson(out, entry.getValue());
    }
    out.append('}');
  }
}
