package dev.runbus.handler;

import dev.runbus.proto.MetricRecord;

/**
 * What the metric definitions say about one top-level history key, cached so the hot path is a
 * single hash lookup.
 *
 * @param definition the key's definition (named or expanded from a glob), or null
 * @param stepMetric true when some definition uses this key as its step_metric
 * @param syncKey the step-metric key to insert when it is missing from the row (§2.5 step_sync), or
 *     null
 */
record ResolvedKey(MetricRecord definition, boolean stepMetric, String syncKey) {
  static final ResolvedKey NONE = new ResolvedKey(null, false, null);
}
