package dev.runbus;

import dev.runbus.json.UnicodeText;
import dev.runbus.proto.MetricControl;
import dev.runbus.proto.MetricOptions;
import dev.runbus.proto.MetricRecord;
import dev.runbus.proto.MetricSummary;
import java.util.Locale;
import java.util.Objects;

/**
 * W&B's {@code define_metric}: how a metric is summarised, which metric is its x-axis, whether it
 * is hidden. A name ending in {@code *} is a glob that applies to every key starting with the part
 * before it.
 *
 * <pre>{@code
 * run.defineMetric(MetricDefinition.of("loss").summary("min", "last").goal("minimize"));
 * run.defineMetric(MetricDefinition.of("val/*").stepMetric("epoch"));
 * }</pre>
 */
public final class MetricDefinition {

  private final String name;
  private String stepMetric = "";
  private Boolean stepSync;
  private boolean hidden;
  private final MetricSummary.Builder summary = MetricSummary.newBuilder();
  private boolean hasSummary;
  private MetricRecord.MetricGoal goal = MetricRecord.MetricGoal.GOAL_UNSET;
  private boolean overwrite;

  private MetricDefinition(String name) {
    this.name = name;
  }

  public static MetricDefinition of(String name) {
    Objects.requireNonNull(name, "defineMetric() name must not be null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("defineMetric() name must not be empty");
    }
    UnicodeText.requireValid("defineMetric() name", name);
    int star = name.indexOf('*');
    if (star >= 0 && star != name.length() - 1) {
      throw new IllegalArgumentException(
          "defineMetric() name \"" + name + "\": only a trailing '*' is supported as a glob");
    }
    return new MetricDefinition(name);
  }

  /** The metric to use as this one's x-axis; also turns on step sync unless set otherwise. */
  public MetricDefinition stepMetric(String stepMetric) {
    this.stepMetric =
        UnicodeText.requireValid(
            "defineMetric(\"" + name + "\") stepMetric",
            Objects.requireNonNull(stepMetric, "stepMetric"));
    return this;
  }

  /**
   * Fill in the step metric's last value on rows that lack it (default: on when a step metric is
   * set).
   */
  public MetricDefinition stepSync(boolean stepSync) {
    this.stepSync = stepSync;
    return this;
  }

  public MetricDefinition hidden(boolean hidden) {
    this.hidden = hidden;
    return this;
  }

  /**
   * How the summary keeps this metric: any of {@code min}, {@code max}, {@code mean}, {@code best},
   * {@code last}, {@code first}, {@code copy}, {@code none}; a comma-separated list in one string
   * works too.
   */
  public MetricDefinition summary(String... ops) {
    for (String op : ops) {
      for (String one : op.split(",")) {
        switch (one.trim().toLowerCase(Locale.ROOT)) {
          case "min" -> summary.setMin(true);
          case "max" -> summary.setMax(true);
          case "mean" -> summary.setMean(true);
          case "best" -> summary.setBest(true);
          case "last" -> summary.setLast(true);
          case "first" -> summary.setFirst(true);
          case "copy" -> summary.setCopy(true);
          case "none" -> summary.setNone(true);
          default ->
              throw new IllegalArgumentException(
                  "defineMetric(\""
                      + name
                      + "\") summary \""
                      + one.trim()
                      + "\": use min, max, mean, best, last, first, copy or none");
        }
        hasSummary = true;
      }
    }
    return this;
  }

  /**
   * {@code "min"}/{@code "minimize"} or {@code "max"}/{@code "maximize"}: which way is better, for
   * {@code best}.
   */
  public MetricDefinition goal(String goal) {
    switch (goal.trim().toLowerCase(Locale.ROOT)) {
      case "min", "minimize" -> this.goal = MetricRecord.MetricGoal.GOAL_MINIMIZE;
      case "max", "maximize" -> this.goal = MetricRecord.MetricGoal.GOAL_MAXIMIZE;
      default ->
          throw new IllegalArgumentException(
              "defineMetric(\"" + name + "\") goal \"" + goal + "\": use minimize or maximize");
    }
    return this;
  }

  /** Replace an earlier definition of the same name instead of merging into it. */
  public MetricDefinition overwrite(boolean overwrite) {
    this.overwrite = overwrite;
    return this;
  }

  public String name() {
    return name;
  }

  /** The record the Handler receives, built as W&B's client builds it. */
  public MetricRecord toRecord() {
    MetricRecord.Builder record = MetricRecord.newBuilder();
    if (name.endsWith("*")) {
      record.setGlobName(name);
    } else {
      record.setName(name);
    }
    boolean sync = stepSync != null ? stepSync : !stepMetric.isEmpty();
    record
        .setStepMetric(stepMetric)
        .setOptions(MetricOptions.newBuilder().setStepSync(sync).setHidden(hidden).setDefined(true))
        .setGoal(goal);
    if (hasSummary) {
      record.setSummary(summary);
    }
    if (overwrite) {
      record.setControl(MetricControl.newBuilder().setOverwrite(true));
    }
    return record.build();
  }
}
