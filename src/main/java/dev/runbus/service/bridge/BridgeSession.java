package dev.runbus.service.bridge;

import dev.runbus.MetricDefinition;
import dev.runbus.Run;
import dev.runbus.RunResult;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client's run over the bridge: each frame becomes the Java API call it names, so every check
 * on keys, values and steps is the Java API's and its exceptions are the client's errors. Called
 * on a pool thread, one frame at a time (see {@link SerialExecutor}), never on an event loop: the
 * Java API may block ({@code log} under back-pressure, {@code finish}).
 */
final class BridgeSession {

  private final Run run;
  private final String connection;
  private final long maxFrameBytes;

  BridgeSession(Run run, String connection, long maxFrameBytes) {
    this.run = run;
    this.connection = connection;
    this.maxFrameBytes = maxFrameBytes;
  }

  String id() {
    return run.id();
  }

  String connection() {
    return connection;
  }

  Run run() {
    return run;
  }

  /** What {@code init} answers. */
  JsonObject started() {
    return new JsonObject()
        .put("run", run.id())
        .put("name", run.name())
        .put("project", run.project())
        .put("mode", run.mode().name().toLowerCase(java.util.Locale.ROOT))
        .put("dir", String.valueOf(run.dir()))
        .put("step", run.step());
  }

  /** {@code {"row": {…}, "step": n, "commit": b}}, step and commit optional, as {@code run.log}. */
  JsonObject log(JsonObject body) {
    fields(body, "log", Set.of("run", "row", "step", "commit"));
    Map<String, Object> row = BridgeValues.map(object(body, "row", true), "row", maxFrameBytes);
    Long step = body.getValue("step") == null ? null : whole(body, "step");
    Boolean commit = body.getValue("commit") == null ? null : bool(body, "commit");
    if (step != null && commit != null) {
      run.log(row, step, commit);
    } else if (step != null) {
      run.log(row, step);
    } else if (commit != null) {
      run.log(row, commit);
    } else {
      run.log(row);
    }
    return new JsonObject().put("step", run.step());
  }

  /** {@code {"config": {…}}}: {@code run.config().update}. */
  JsonObject config(JsonObject body) {
    fields(body, "config", Set.of("run", "config"));
    run.config().update(BridgeValues.map(object(body, "config", true), "config", maxFrameBytes));
    return new JsonObject();
  }

  /** {@code {"summary": {…}, "remove": ["key", …]}}, either optional. */
  JsonObject summary(JsonObject body) {
    fields(body, "summary", Set.of("run", "summary", "remove"));
    JsonObject update = object(body, "summary", false);
    List<String> remove = strings(body, "remove");
    if (update != null) {
      run.summary().update(BridgeValues.map(update, "summary", maxFrameBytes));
    }
    for (String key : remove) {
      run.summary().remove(key);
    }
    return new JsonObject();
  }

  /** {@code {"key": k}} answers {@code {"value": …}}; without a key, {@code {"summary": {…}}}. */
  JsonObject summaryGet(JsonObject body) {
    fields(body, "summary.get", Set.of("run", "key"));
    Object key = body.getValue("key");
    if (key == null) {
      return new JsonObject().put("summary", BridgeValues.toJson(run.summary().asMap()));
    }
    if (!(key instanceof String name)) {
      throw invalid("summary.get \"key\" must be a string");
    }
    return new JsonObject().put("value", BridgeValues.toJson(run.summary().get(name)));
  }

  /**
   * {@code {"name": …, "step_metric", "step_sync", "hidden", "summary" ("min,max" or a list),
   * "goal", "overwrite"}}: {@code run.defineMetric}.
   */
  JsonObject defineMetric(JsonObject body) {
    fields(
        body,
        "define_metric",
        Set.of("run", "name", "step_metric", "step_sync", "hidden", "summary", "goal", "overwrite"));
    MetricDefinition metric = MetricDefinition.of(string(body, "name", true));
    String stepMetric = string(body, "step_metric", false);
    if (stepMetric != null) {
      metric.stepMetric(stepMetric);
    }
    if (body.getValue("step_sync") != null) {
      metric.stepSync(bool(body, "step_sync"));
    }
    if (body.getValue("hidden") != null) {
      metric.hidden(bool(body, "hidden"));
    }
    Object summary = body.getValue("summary");
    if (summary instanceof String one) {
      metric.summary(one);
    } else if (summary != null) {
      metric.summary(strings(body, "summary").toArray(new String[0]));
    }
    String goal = string(body, "goal", false);
    if (goal != null) {
      metric.goal(goal);
    }
    if (body.getValue("overwrite") != null) {
      metric.overwrite(bool(body, "overwrite"));
    }
    run.defineMetric(metric);
    return new JsonObject();
  }

  /** {@code {"exit_code": n}} (0 if absent): {@code run.finish}, answering what it returns. */
  JsonObject finish(JsonObject body) {
    fields(body, "finish", Set.of("run", "exit_code"));
    long exitCode = body.getValue("exit_code") == null ? 0 : whole(body, "exit_code");
    if (exitCode < Integer.MIN_VALUE || exitCode > Integer.MAX_VALUE) {
      throw invalid("finish \"exit_code\" " + exitCode + " is not a 32-bit integer");
    }
    return finished(run.finish((int) exitCode));
  }

  static JsonObject finished(RunResult result) {
    return new JsonObject()
        .put("run", result.runId())
        .put("exit_code", result.exitCode())
        .put("history_rows", result.historyRows())
        .put("dropped_rows", result.droppedRows())
        .put("dir", String.valueOf(result.dir()))
        .put("log", String.valueOf(result.logFile()))
        .put("url", result.runUrl())
        .put("not_uploaded", result.notUploaded());
  }

  // ---- reading a frame's body: a wrong field is the client's bug, named precisely

  static void fields(JsonObject body, String op, Set<String> known) {
    for (String name : body.fieldNames()) {
      if (!known.contains(name)) {
        throw invalid(
            op + " does not take \"" + name + "\"; it takes " + String.join(", ", sorted(known)));
      }
    }
  }

  private static List<String> sorted(Set<String> names) {
    List<String> list = new ArrayList<>(names);
    list.sort(null);
    return list;
  }

  static JsonObject object(JsonObject body, String field, boolean required) {
    Object value = body.getValue(field);
    if (value == null && !required) {
      return null;
    }
    if (!(value instanceof JsonObject json)) {
      throw invalid("\"" + field + "\" must be a JSON object" + (value == null ? "; it is missing" : ""));
    }
    return json;
  }

  static String string(JsonObject body, String field, boolean required) {
    Object value = body.getValue(field);
    if (value == null && !required) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw invalid("\"" + field + "\" must be a string" + (value == null ? "; it is missing" : ""));
    }
    return text;
  }

  static long whole(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw invalid("\"" + field + "\" must be a whole number that fits 64 bits, got " + value);
  }

  static boolean bool(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value instanceof Boolean b) {
      return b;
    }
    throw invalid("\"" + field + "\" must be true or false, got " + value);
  }

  static List<String> strings(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid("\"" + field + "\" must be a list of strings");
    }
    List<String> list = new ArrayList<>(array.size());
    for (Object element : array) {
      if (!(element instanceof String text)) {
        throw invalid("\"" + field + "\" must be a list of strings, it holds " + element);
      }
      list.add(text);
    }
    return list;
  }

  static ServiceException invalid(String message) {
    return new ServiceException(ServiceStatus.INVALID_ARGUMENT, message);
  }
}
