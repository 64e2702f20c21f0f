package dev.runbus.writer;

import dev.runbus.proto.MetricRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metric definitions in the form W&B keeps them in {@code config._wandb.m}: one entry per named
 * metric, in definition order, each encoded "proto-to-dict" (keys are field numbers; a message of
 * bools becomes the sorted numbers of its true fields) with {@code step_metric} replaced by {@code
 * step_metric_index}, 1 + the index of the step metric in the list. W&B's UI reads it to pick each
 * chart's x-axis.
 */
public final class MetricDictionary {

  private final Map<String, MetricRecord> byName = new LinkedHashMap<>();

  /** Merges a named definition (globs are templates, not metrics). */
  public void add(MetricRecord metric) {
    if (metric.getName().isEmpty()) {
      return;
    }
    MetricRecord previous = byName.get(metric.getName());
    if (previous == null || metric.getControl().getOverwrite()) {
      byName.put(metric.getName(), metric);
    } else {
      byName.put(metric.getName(), previous.toBuilder().mergeFrom(metric).build());
    }
  }

  public boolean isEmpty() {
    return byName.isEmpty();
  }

  public List<Map<String, Object>> entries() {
    List<String> names = new ArrayList<>(byName.keySet());
    List<Map<String, Object>> out = new ArrayList<>();
    for (MetricRecord metric : byName.values()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("1", metric.getName());
      int stepIndex = metric.getStepMetric().isEmpty() ? -1 : names.indexOf(metric.getStepMetric());
      if (stepIndex >= 0) {
        entry.put("5", stepIndex + 1);
      } else if (!metric.getStepMetric().isEmpty()) {
        entry.put("4", metric.getStepMetric());
      }
      List<Integer> options = new ArrayList<>();
      if (metric.getOptions().getStepSync()) {
        options.add(1);
      }
      if (metric.getOptions().getHidden()) {
        options.add(2);
      }
      if (metric.getOptions().getDefined()) {
        options.add(3);
      }
      if (metric.hasOptions()) {
        entry.put("6", options);
      }
      if (metric.hasSummary()) {
        entry.put("7", summaryFlags(metric));
      }
      if (metric.getGoalValue() != 0) {
        entry.put("8", metric.getGoalValue());
      }
      out.add(entry);
    }
    return out;
  }

  private static List<Integer> summaryFlags(MetricRecord metric) {
    var s = metric.getSummary();
    List<Integer> flags = new ArrayList<>();
    boolean[] set = {
      s.getMin(),
      s.getMax(),
      s.getMean(),
      s.getBest(),
      s.getLast(),
      s.getNone(),
      s.getCopy(),
      s.getFirst()
    };
    for (int i = 0; i < set.length; i++) {
      if (set[i]) {
        flags.add(i + 1);
      }
    }
    return flags;
  }
}
