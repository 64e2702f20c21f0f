package dev.runbus.server.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** History lines and FileStream bodies as W&B's clients write them. */
final class HistoryLines {
  private HistoryLines() {}

  /** A v0.16 history line: Python's json.dumps, spaces after separators, float values. */
  static String python(long step, int metrics) {
    StringBuilder line = new StringBuilder("{");
    for (int m = 0; m < metrics; m++) {
      line.append("\"m").append(m).append("\": ").append(value(step, m)).append(", ");
    }
    line.append("\"_timestamp\": ").append(1_795_731_334.0 + step * 0.01);
    line.append(", \"_runtime\": ").append(step * 0.01);
    line.append(", \"_step\": ").append(step).append('}');
    return line.toString();
  }

  /** A wandb-core history line: Go's encoding, no spaces, keys in any order. */
  static String core(long step, int metrics) {
    StringBuilder line = new StringBuilder("{\"_step\":").append(step);
    for (int m = metrics - 1; m >= 0; m--) {
      line.append(",\"m").append(m).append("\":").append(value(step, m));
    }
    return line.append(",\"_runtime\":").append(step * 0.01).append('}').toString();
  }

  static double value(long step, int metric) {
    return metric + step / 1000.0;
  }

  /** {@code {"files": {"wandb-history.jsonl": {"offset": o, "content": [...]}}}}. */
  static JsonObject historyPost(long offset, int count, int metrics, boolean core) {
    JsonArray content = new JsonArray();
    for (long step = offset; step < offset + count; step++) {
      content.add(core ? core(step, metrics) : python(step, metrics));
    }
    return new JsonObject()
        .put(
            "files",
            new JsonObject()
                .put(
                    "wandb-history.jsonl",
                    new JsonObject().put("offset", offset).put("content", content)));
  }
}
