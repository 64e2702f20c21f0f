package dev.runbus.handler;

import dev.runbus.proto.MetricRecord;
import dev.runbus.proto.MetricSummary;

/**
 * §2.4: the running min/max/mean/first/last of one summarized leaf. Kept values are written back as
 * the JSON text they arrived as, so integers stay integers; only the mean is computed.
 */
final class LeafAggregates {
  private double min = Double.POSITIVE_INFINITY;
  private String minJson;
  private double max = Double.NEGATIVE_INFINITY;
  private String maxJson;
  private double total;
  private long count;
  private boolean allIntegers = true;
  private String firstJson;
  private String lastJson;

  /** Adds one real, non-NaN value. */
  void add(double value, String json, boolean integer) {
    if (minJson == null || value < min) {
      min = value;
      minJson = json;
    }
    if (maxJson == null || value > max) {
      max = value;
      maxJson = json;
    }
    total += value;
    count++;
    allIntegers &= integer;
    if (firstJson == null) {
      firstJson = json;
    }
    lastJson = json;
  }

  /** Writes the flags the definition asks for into the leaf's summary object. */
  void writeTo(SummaryTree.Node node, MetricSummary flags, MetricRecord.MetricGoal goal) {
    if (flags.getMin()) {
      node.put("min", minJson);
    }
    if (flags.getMax()) {
      node.put("max", maxJson);
    }
    if (flags.getMean()) {
      node.put("mean", JsonScalars.formatComputed(total / count, allIntegers));
    }
    if (flags.getBest()) {
      // §2.4: best follows the goal, minimizing when none was given
      node.put("best", goal == MetricRecord.MetricGoal.GOAL_MAXIMIZE ? maxJson : minJson);
    }
    if (flags.getLast()) {
      node.put("last", lastJson);
    }
    if (flags.getFirst()) {
      node.put("first", firstJson);
    }
  }
}
