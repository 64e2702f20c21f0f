package dev.runbus.handler;

import dev.runbus.proto.Control;
import dev.runbus.proto.MetricRecord;
import dev.runbus.proto.Record;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * §2.5: the run's define_metric definitions, by name and by glob, and the records their side
 * effects produce (glob expansions, auto-defined step metrics).
 */
final class MetricDefinitions {
  /** Bounds the per-key cache when a run logs ever new keys. */
  static final int MAX_CACHED_KEYS = 100_000;

  /** Named definitions by metric name (dots inside one key escaped as {@code \.}). */
  private final Map<String, MetricRecord> named = new HashMap<>();

  /** Glob definitions by glob_name, in definition order: the first matching glob wins. */
  private final Map<String, MetricRecord> globs = new LinkedHashMap<>();

  /** Top-level keys that have definitions for paths below them. */
  private final Set<String> nestedRoots = new HashSet<>();

  /** Top-level keys some definition names as its step_metric. */
  private final Set<String> stepMetricKeys = new HashSet<>();

  /** Per history key: the lookup result, so a glob is matched once per key. */
  private final Map<String, ResolvedKey> resolved = new HashMap<>();

  /** Records the definitions produced, to be emitted before whatever caused them. */
  private final ArrayDeque<Record> produced = new ArrayDeque<>();

  /** Changes whenever a definition is added or changed, so callers' caches know to refresh. */
  private long generation;

  long generation() {
    return generation;
  }

  boolean isEmpty() {
    return named.isEmpty() && globs.isEmpty();
  }

  /** §2.4: the summary switches from "last value wins" to the define_metric rules. */
  boolean hasNamed() {
    return !named.isEmpty();
  }

  /** The named definition for a metric name, or null. */
  MetricRecord named(String name) {
    return named.get(name);
  }

  boolean hasDefinitionsBelow(String topLevelKey) {
    return nestedRoots.contains(topLevelKey);
  }

  /** The next record produced by a definition, or null. */
  Record pollProduced() {
    return produced.poll();
  }

  /**
   * Stores a user definition: merged into an earlier one for the same name unless {@code
   * _control.overwrite}. Defining a metric whose step metric is unknown also defines the step
   * metric (a local record, as legacy W&B).
   */
  void define(MetricRecord metric) {
    if (!metric.getGlobName().isEmpty()) {
      store(globs, metric.getGlobName(), metric);
    } else if (!metric.getName().isEmpty()) {
      defineNamed(metric);
    }
    // any cached lookup may now be stale
    resolved.clear();
    generation++;
  }

  /** What the definitions say about a top-level history key; may expand a glob. */
  ResolvedKey resolve(String key) {
    ResolvedKey known = resolved.get(key);
    return known != null ? known : resolveUncached(key);
  }

  private ResolvedKey resolveUncached(String key) {
    if (key.isEmpty()) {
      return ResolvedKey.NONE;
    }
    String name = MetricNames.escape(key);
    MetricRecord definition = named.get(name);
    if (definition == null && !globs.isEmpty()) {
      definition = expandGlob(key, name);
    }
    boolean stepMetric = stepMetricKeys.contains(key);
    String syncKey = null;
    if (definition != null
        && definition.getOptions().getStepSync()
        && !definition.getStepMetric().isEmpty()) {
      syncKey = keyOf(definition.getStepMetric());
    }
    ResolvedKey result =
        definition == null && !stepMetric
            ? ResolvedKey.NONE
            : new ResolvedKey(definition, stepMetric, syncKey);
    if (resolved.size() >= MAX_CACHED_KEYS) {
      resolved.clear();
    }
    resolved.put(key, result);
    return result;
  }

  /**
   * §2.5: a key matching a glob gets its own concrete definition, persisted with expanded_from_glob
   * so a replay recreates it. Keys starting with {@code _} never match.
   */
  private MetricRecord expandGlob(String key, String name) {
    if (key.charAt(0) == '_') {
      return null;
    }
    for (MetricRecord glob : globs.values()) {
      String pattern = glob.getGlobName();
      // only a trailing '*' is supported
      if (pattern.endsWith("*") && key.startsWith(pattern.substring(0, pattern.length() - 1))) {
        MetricRecord concrete =
            glob.toBuilder()
                .clearGlobName()
                .setName(name)
                .setOptions(glob.getOptions().toBuilder().setDefined(false))
                .setExpandedFromGlob(true)
                .build();
        defineNamed(concrete);
        produced.add(Record.newBuilder().setMetric(concrete).build());
        resolved.clear();
        generation++;
        return named.get(name);
      }
    }
    return null;
  }

  private void defineNamed(MetricRecord metric) {
    String name = metric.getName();
    MetricRecord stored = store(named, name, metric);
    if (MetricNames.isNested(name)) {
      nestedRoots.add(MetricNames.topLevelKey(name));
    }
    String stepMetric = stored.getStepMetric();
    if (!stepMetric.isEmpty()) {
      stepMetricKeys.add(keyOf(stepMetric));
      if (!named.containsKey(stepMetric)) {
        // §2.5: an undefined step metric is defined too; local = sent, never persisted
        MetricRecord auto = MetricRecord.newBuilder().setName(stepMetric).build();
        named.put(stepMetric, auto);
        produced.add(
            Record.newBuilder()
                .setMetric(auto)
                .setControl(Control.newBuilder().setLocal(true))
                .build());
      }
    }
  }

  /** Proto MergeFrom semantics, or replacement when the definition says overwrite. */
  private static MetricRecord store(Map<String, MetricRecord> map, String id, MetricRecord m) {
    // the overwrite flag is an instruction for this call, not part of the definition
    MetricRecord incoming = m.hasControl() ? m.toBuilder().clearControl().build() : m;
    MetricRecord existing = map.get(id);
    MetricRecord stored =
        existing == null || m.getControl().getOverwrite()
            ? incoming
            : existing.toBuilder().mergeFrom(incoming).build();
    map.put(id, stored);
    return stored;
  }

  /** The history key a step metric's values are logged under. */
  private static String keyOf(String metricName) {
    return metricName.replace("\\.", ".");
  }
}
