package dev.runbus.filestream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The run's summary as the FileStream sends it ({@code wandb-summary.json}, always whole): the last
 * value of each top-level history key, updated and trimmed by summary records, and replaced by the
 * full summary the Handler writes after the exit. History rows update it at the row rate, so a
 * top-level value is kept as its JSON bytes in a table looked up by the key's bytes (no String,
 * no tree per row); a value reached by a nested path becomes a Jackson tree, which summary records
 * alone cause.
 */
final class SummaryState {

  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .build();

  private static final class Entry {
    final byte[] key;
    final int hash;
    Entry next;
    byte[] raw = new byte[16];
    int rawLen;
    JsonNode tree;
    boolean present;

    Entry(byte[] key, int hash) {
      this.key = key;
      this.hash = hash;
    }

    int valueBytes() {
      return tree != null ? 64 : rawLen;
    }
  }

  private Entry[] table = new Entry[64];
  private final List<Entry> order = new ArrayList<>();
  private int present;
  private long approxBytes = 2;
  private boolean changed;

  /** Sets top-level key {@code key[kf, kt)} (UTF-8) to the JSON text {@code value[vf, vt)}. */
  void set(byte[] key, int kf, int kt, byte[] value, int vf, int vt) {
    Entry e = entry(key, kf, kt);
    int n = vt - vf;
    approxBytes += n - (e.present ? e.valueBytes() : -(kt - kf) - 6);
    if (e.raw.length < n) {
      e.raw = new byte[Math.max(n, e.raw.length * 2)];
    }
    System.arraycopy(value, vf, e.raw, 0, n);
    e.rawLen = n;
    e.tree = null;
    if (!e.present) {
      e.present = true;
      present++;
    }
    changed = true;
  }

  /** Sets the value at {@code path} (a top-level key or a nested path) to {@code valueJson}. */
  void set(List<String> path, String valueJson) {
    String json = valueJson.isEmpty() ? "null" : valueJson;
    byte[] top = path.get(0).getBytes(StandardCharsets.UTF_8);
    if (path.size() == 1) {
      byte[] v = json.getBytes(StandardCharsets.UTF_8);
      set(top, 0, top.length, v, 0, v.length);
      return;
    }
    Entry e = entry(top, 0, top.length);
    ObjectNode node = objectTree(e);
    for (int i = 1; i < path.size() - 1; i++) {
      JsonNode child = node.get(path.get(i));
      node = child instanceof ObjectNode o ? o : node.putObject(path.get(i));
    }
    node.set(path.get(path.size() - 1), parse(json));
    changed = true;
  }

  /** Sets a value already a tree (a nested history item). */
  void setTree(String top, JsonNode value) {
    byte[] key = top.getBytes(StandardCharsets.UTF_8);
    Entry e = entry(key, 0, key.length);
    if (!e.present) {
      e.present = true;
      present++;
      approxBytes += key.length + 6;
    }
    approxBytes += 64 - (e.tree != null ? 64 : e.rawLen);
    e.tree = value;
    changed = true;
  }

  void remove(List<String> path) {
    byte[] top = path.get(0).getBytes(StandardCharsets.UTF_8);
    Entry e = find(top, 0, top.length, hash(top, 0, top.length));
    if (e == null || !e.present) {
      return;
    }
    if (path.size() == 1) {
      approxBytes -= e.valueBytes() + top.length + 6;
      e.present = false;
      e.tree = null;
      present--;
    } else {
      JsonNode node = objectTree(e);
      for (int i = 1; i < path.size() - 1 && node != null; i++) {
        node = node.get(path.get(i));
      }
      if (node instanceof ObjectNode o) {
        o.remove(path.get(path.size() - 1));
      }
    }
    changed = true;
  }

  /** Forgets every value: the next summary record is the whole summary. */
  void clear() {
    for (Entry e : order) {
      e.present = false;
      e.tree = null;
    }
    present = 0;
    approxBytes = 2;
    changed = true;
  }

  boolean changed() {
    return changed;
  }

  void sent() {
    changed = false;
  }

  boolean isEmpty() {
    return present == 0;
  }

  /** About the size of the summary line (an upper bound for flat values, before escaping). */
  long approxBytes() {
    return approxBytes;
  }

  /** The summary as one line, written as a JSON string of the body. */
  void writeLine(JsonBytes out) {
    out.put((byte) '"').put((byte) '{');
    boolean first = true;
    for (Entry e : order) {
      if (!e.present) {
        continue;
      }
      if (!first) {
        out.put((byte) ',');
      }
      first = false;
      out.ascii("\\\"").escapedTwice(e.key, 0, e.key.length).ascii("\\\":");
      if (e.tree != null) {
        byte[] v = write(e.tree);
        out.escapedOnce(v, 0, v.length);
      } else {
        out.escapedOnce(e.raw, 0, e.rawLen);
      }
    }
    out.put((byte) '}').put((byte) '"');
  }

  private ObjectNode objectTree(Entry e) {
    if (!(e.tree instanceof ObjectNode)) {
      JsonNode parsed =
          e.present && e.tree == null
              ? parse(new String(e.raw, 0, e.rawLen, StandardCharsets.UTF_8))
              : null;
      ObjectNode o =
          parsed instanceof ObjectNode p ? p : JsonNodeFactory.instance.objectNode();
      setTree(new String(e.key, StandardCharsets.UTF_8), o);
      return o;
    }
    return (ObjectNode) e.tree;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // value_json the Handler wrote is JSON; keep anything else as the text it is
      return JsonNodeFactory.instance.textNode(json);
    }
  }

  private static byte[] write(JsonNode tree) {
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e);
    }
  }

  private Entry entry(byte[] key, int from, int to) {
    int h = hash(key, from, to);
    Entry e = find(key, from, to, h);
    if (e != null) {
      return e;
    }
    if (order.size() >= table.length * 3 / 4) {
      grow();
    }
    e = new Entry(Arrays.copyOfRange(key, from, to), h);
    int slot = h & (table.length - 1);
    e.next = table[slot];
    table[slot] = e;
    order.add(e);
    return e;
  }

  private Entry find(byte[] key, int from, int to, int h) {
    for (Entry e = table[h & (table.length - 1)]; e != null; e = e.next) {
      if (e.hash == h && Arrays.equals(e.key, 0, e.key.length, key, from, to)) {
        return e;
      }
    }
    return null;
  }

  private void grow() {
    Entry[] bigger = new Entry[table.length * 2];
    for (Entry e : order) {
      int slot = e.hash & (bigger.length - 1);
      e.next = bigger[slot];
      bigger[slot] = e;
    }
    table = bigger;
  }

  private static int hash(byte[] key, int from, int to) {
    int h = 1;
    for (int i = from; i < to; i++) {
      h = 31 * h + key[i];
    }
    return h ^ (h >>> 16);
  }
}
