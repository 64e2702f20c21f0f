package dev.runbus.sender;

import dev.runbus.proto.ResumeState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * W&B's resume rules (§5.3) applied to RunResumeStatus's answer: {@code must} needs the run,
 * {@code never} needs its absence; a resumed run continues at the step after the last history
 * line's {@code _step}, with the runtime it had, and its FileStream continues at the line counts
 * the server holds.
 */
final class ResumeDecision {

  private ResumeDecision() {}

  static ResumeState decide(String resume, String runId, String server, JsonObject data) {
    JsonObject model = data.getJsonObject("model");
    JsonObject bucket = model == null ? null : model.getJsonObject("bucket");
    if (bucket == null) {
      if (resume.equals("must")) {
        return error(
            "resume=\"must\" but run "
                + runId
                + " does not exist on "
                + server
                + "; start it without resume, or give the id of an existing run");
      }
      return ResumeState.getDefaultInstance();
    }
    if (resume.equals("never")) {
      return error(
          "resume=\"never\" but run "
              + runId
              + " already exists on "
              + server
              + "; choose another run id, or resume it with \"allow\" or \"must\"");
    }
    JsonObject lastHistory = lastLine(bucket.getValue("historyTail"));
    JsonObject lastEvents = lastLine(bucket.getValue("eventsTail"));
    long startingStep = 0;
    if (lastHistory != null && lastHistory.getValue("_step") instanceof Number step) {
      startingStep = step.longValue() + 1;
    }
    double runtime = Math.max(runtimeOf(lastHistory), runtimeOf(lastEvents));
    if (runtime == 0) {
      runtime = summaryRuntime(bucket.getValue("summaryMetrics"));
    }
    return ResumeState.newBuilder()
        .setResumed(true)
        .setStartingStep(startingStep)
        .setRuntimeSeconds((int) Math.ceil(runtime))
        .setHistoryLineOffset(count(bucket, "historyLineCount"))
        .setEventsLineOffset(count(bucket, "eventsLineCount"))
        .setConsoleLineOffset(count(bucket, "logLineCount"))
        .build();
  }

  private static ResumeState error(String text) {
    return ResumeState.newBuilder().setError(text).build();
  }

  private static long count(JsonObject bucket, String field) {
    Object value = bucket.getValue(field);
    return value instanceof Number n ? n.longValue() : 0;
  }

  /** A tail is a JSON array of line texts, itself sent as a JSON string (W&B's JSONString). */
  private static JsonObject lastLine(Object tail) {
    try {
      JsonArray lines =
          tail instanceof String text
              ? new JsonArray(text)
              : tail instanceof JsonArray array ? array : null;
      if (lines == null || lines.isEmpty()) {
        return null;
      }
      Object last = lines.getValue(lines.size() - 1);
      return last instanceof String line
          ? new JsonObject(line)
          : last instanceof JsonObject object ? object : null;
    } catch (RuntimeException unreadable) {
      return null; // a tail we cannot read resumes at step 0 rather than not at all
    }
  }

  private static double runtimeOf(JsonObject line) {
    return line != null && line.getValue("_runtime") instanceof Number n ? n.doubleValue() : 0;
  }

  private static double summaryRuntime(Object summary) {
    try {
      JsonObject json =
          summary instanceof String text
              ? new JsonObject(text)
              : summary instanceof JsonObject object ? object : null;
      JsonObject wandb = json == null ? null : json.getJsonObject("_wandb");
      return wandb != null && wandb.getValue("runtime") instanceof Number n ? n.doubleValue() : 0;
    } catch (RuntimeException unreadable) {
      return 0;
    }
  }
}
