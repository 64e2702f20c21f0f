package dev.runbus.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runbus.proto.GetSummaryResponse;
import dev.runbus.proto.HistoryItem;
import dev.runbus.proto.MetricRecord;
import dev.runbus.proto.MetricSummary;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * §2.4, the legacy algorithm: the run's consolidated summary, updated from every history row and
 * from explicit summary records.
 */
final class SummaryTracker {
  private final SummaryTree tree = new SummaryTree();

  /** Running aggregates per summarized leaf, by metric name. */
  private final Map<String, LeafAggregates> aggregates = new HashMap<>();

  private final MetricDefinitions metrics;
  private final RowResolver resolver;
  /*
   * "Plain" values (a top-level key nobody summarizes, so the last value wins) need not be
   * stored row by row: while rows keep the same keys under the same definitions, a row's plain
   * values replace the previous row's before either reaches the tree. The first row of a new
   * shape is applied at once, so keys enter the summary in the order they first appear.
   */
  private long previousShape = Long.MIN_VALUE;

  /** The latest row whose plain values are not in the tree yet, or null. */
  private List<HistoryItem> deferredRow;

  private boolean[] deferredPlain = new boolean[0];
  private boolean[] rowPlain = new boolean[0];

  SummaryTracker(MetricDefinitions metrics) {
    this.metrics = metrics;
    this.resolver = new RowResolver(metrics);
  }

  /**
   * Applies one flushed history row (including {@code _step}, {@code _runtime}, ...).
   *
   * @param sameKeysAsPrevious whether the row has the same keys, in order, as the previous row
   *     passed here (the caller may know it already)
   */
  void updateFromRow(List<HistoryItem> row, boolean sameKeysAsPrevious) {
    boolean defined = metrics.hasNamed();
    ResolvedKey[] resolved = defined ? resolver.resolve(row, sameKeysAsPrevious) : null;
    // without named definitions every value is plain (§2.4: the last value wins)
    long shape = defined ? metrics.generation() : -1;
    boolean sameShape =
        shape == previousShape && (defined ? resolver.reusedPrevious() : sameKeysAsPrevious);
    if (!sameShape) {
      applyDeferredRow();
    }
    int n = row.size();
    if (rowPlain.length < n) {
      rowPlain = new boolean[n];
      deferredPlain = Arrays.copyOf(deferredPlain, n);
    }
    for (int i = 0; i < n; i++) {
      HistoryItem item = row.get(i);
      String key = item.getKey();
      String json = item.getValueJson();
      MetricRecord definition = defined ? resolved[i].definition() : null;
      boolean plain = !key.isEmpty() && (!defined || isPlain(definition, json));
      rowPlain[i] = plain;
      if (plain && sameShape) {
        continue; // replaces the deferred value, if any
      }
      if (sameShape && deferredRow != null && deferredPlain[i]) {
        putPlain(deferredRow.get(i)); // the older plain value goes in before this one
      }
      if (plain) {
        putPlain(item);
      } else if (key.isEmpty()) {
        if (item.getNestedKeyCount() > 0) {
          updateNested(item.getNestedKeyList(), json);
        }
      } else {
        updateDefined(key, json, definition);
      }
    }
    if (sameShape) {
      deferredRow = row;
      boolean[] swap = deferredPlain;
      deferredPlain = rowPlain;
      rowPlain = swap;
    }
    previousShape = shape;
  }

  /** A scalar nobody summarizes; objects may need walking or a media fix, so never plain. */
  private static boolean isPlain(MetricRecord definition, String json) {
    return !isSummarized(definition) && !json.startsWith("{");
  }

  private void putPlain(HistoryItem item) {
    tree.putTopLevel(item.getKey(), MediaSummaryValues.pointToLatest(item.getValueJson()));
  }

  private void applyDeferredRow() {
    List<HistoryItem> row = deferredRow;
    if (row == null) {
      return;
    }
    deferredRow = null;
    for (int i = 0, n = row.size(); i < n; i++) {
      if (deferredPlain[i]) {
        putPlain(row.get(i));
      }
    }
  }

  /** Explicit user updates set values and reset their tracking; removes delete. */
  void apply(SummaryRecord record) {
    applyDeferredRow();
    for (SummaryItem item : record.getUpdateList()) {
      List<String> path = pathOf(item);
      if (path.isEmpty()) {
        continue;
      }
      if (path.size() == 1) {
        tree.putTopLevel(path.get(0), item.getValueJson());
      } else {
        tree.put(path, item.getValueJson());
      }
      resetTracking(MetricNames.of(path));
    }
    for (SummaryItem item : record.getRemoveList()) {
      List<String> path = pathOf(item);
      if (!path.isEmpty()) {
        tree.remove(path);
        resetTracking(MetricNames.of(path));
      }
    }
  }

  /** One update item per top-level key, value_json = the subtree as compact JSON. */
  SummaryRecord fullSummary() {
    applyDeferredRow();
    SummaryRecord.Builder summary = SummaryRecord.newBuilder();
    for (Map.Entry<String, Object> entry : tree.root().entrySet()) {
      summary.addUpdate(item(entry.getKey(), SummaryTree.toJson(entry.getValue())));
    }
    return summary.build();
  }

  /** The full summary with {@code _wandb.runtime} set, as written at exit (§2.4, §3.2). */
  SummaryRecord fullSummaryWithRuntime(int runtimeSeconds) {
    applyDeferredRow();
    SummaryTree.Node wandb = new SummaryTree.Node();
    Object existing = tree.root().get("_wandb");
    if (existing instanceof SummaryTree.Node node) {
      wandb.putAll(node);
    } else if (existing instanceof String json && json.startsWith("{")) {
      JsonNode parsed = JsonTrees.parse(json);
      if (parsed != null && parsed.isObject()) {
        wandb.putAll(SummaryTree.fromJson(parsed));
      }
    }
    wandb.put("runtime", Integer.toString(runtimeSeconds));
    SummaryRecord.Builder summary = SummaryRecord.newBuilder();
    for (Map.Entry<String, Object> entry : tree.root().entrySet()) {
      Object value = entry.getKey().equals("_wandb") ? wandb : entry.getValue();
      summary.addUpdate(item(entry.getKey(), SummaryTree.toJson(value)));
    }
    if (existing == null) {
      summary.addUpdate(item("_wandb", SummaryTree.toJson(wandb)));
    }
    return summary.build();
  }

  /** §2.7 (legacy): one item per top-level key. */
  GetSummaryResponse toResponse() {
    return GetSummaryResponse.newBuilder().addAllItem(fullSummary().getUpdateList()).build();
  }

  /** The JSON text at a path, or null. */
  String valueJson(String... path) {
    applyDeferredRow();
    Object value = tree.get(Arrays.asList(path));
    return value == null ? null : SummaryTree.toJson(value);
  }

  Set<String> keys() {
    applyDeferredRow();
    return tree.keys();
  }

  /** A top-level value that is a plain JSON text (not an aggregate object), or null. */
  String topLevelLeaf(String key) {
    applyDeferredRow();
    return tree.root().get(key) instanceof String json ? json : null;
  }

  // ---- §2.4 with definitions ----

  private void updateDefined(String key, String json, MetricRecord definition) {
    if (json.startsWith("{") && (isSummarized(definition) || metrics.hasDefinitionsBelow(key))) {
      // only values whose insides a definition can reach are parsed
      JsonNode value = JsonTrees.parse(json);
      if (value != null && value.isObject() && !value.has("_type")) {
        List<String> path = new ArrayList<>(1);
        path.add(key);
        walk(path, MetricNames.escape(key), value, definition);
        return;
      }
    }
    summarizeLeaf(List.of(), key, MetricNames.escape(key), json, definition);
  }

  /** A history item addressed by nested_key: the nearest definition on its path applies. */
  private void updateNested(List<String> path, String json) {
    MetricRecord definition = null;
    for (int length = path.size(); definition == null && length > 0; length--) {
      definition = metrics.named(MetricNames.of(path.subList(0, length)));
    }
    summarizeLeaf(
        path.subList(0, path.size() - 1),
        path.get(path.size() - 1),
        MetricNames.of(path),
        json,
        definition);
  }

  /** Dicts without {@code _type} are descended; children inherit the parent's definition. */
  private void walk(List<String> path, String name, JsonNode object, MetricRecord inherited) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String childName = MetricNames.child(name, field.getKey());
      MetricRecord own = metrics.named(childName);
      MetricRecord definition = own != null ? own : inherited;
      JsonNode value = field.getValue();
      if (value.isObject() && !value.has("_type")) {
        List<String> childPath = new ArrayList<>(path);
        childPath.add(field.getKey());
        walk(childPath, childName, value, definition);
      } else {
        MediaSummaryValues.pointToLatest(value);
        summarizeLeaf(path, field.getKey(), childName, JsonTrees.write(value), definition);
      }
    }
  }

  /**
   * One leaf under a definition (or none). Without summary flags, or with {@code copy}, the latest
   * value is stored; otherwise the aggregates replace the plain value.
   */
  private void summarizeLeaf(
      List<String> parentPath, String key, String name, String json, MetricRecord definition) {
    if (!isSummarized(definition) || definition.getSummary().getCopy()) {
      parentAt(parentPath).put(key, MediaSummaryValues.pointToLatest(json));
      return;
    }
    MetricSummary flags = definition.getSummary();
    // §2.4: none stores nothing; NaN and what is not a real number are skipped by the aggregates,
    // and booleans are real numbers there (W&B's handler tests numbers.Real, which bool is)
    if (flags.getNone() || !JsonScalars.looksNumberOrBoolean(json)) {
      return;
    }
    double value;
    try {
      value = JsonScalars.parseNumberOrBoolean(json);
    } catch (NumberFormatException e) {
      return;
    }
    if (Double.isNaN(value)) {
      return;
    }
    LeafAggregates leaf = aggregates.get(name);
    if (leaf == null) {
      leaf = new LeafAggregates();
      aggregates.put(name, leaf);
    }
    leaf.add(value, json, JsonScalars.isIntegerToken(json) || JsonScalars.isBoolean(json));
    leaf.writeTo(SummaryTree.child(parentAt(parentPath), key), flags, definition.getGoal());
  }

  /** Created only when something is written, so skipped values leave no empty objects. */
  private SummaryTree.Node parentAt(List<String> parentPath) {
    return parentPath.isEmpty() ? tree.root() : tree.nodeAt(parentPath);
  }

  private static boolean isSummarized(MetricRecord definition) {
    return definition != null && definition.hasSummary();
  }

  /** An explicit set or remove starts the leaf's (and its children's) tracking afresh. */
  private void resetTracking(String name) {
    if (aggregates.isEmpty()) {
      return;
    }
    aggregates.remove(name);
    String prefix = name + ".";
    aggregates.keySet().removeIf(k -> k.startsWith(prefix));
  }

  private static List<String> pathOf(SummaryItem item) {
    return item.getKey().isEmpty() ? item.getNestedKeyList() : List.of(item.getKey());
  }

  private static SummaryItem item(String key, String json) {
    return SummaryItem.newBuilder().setKey(key).setValueJson(json).build();
  }
}
