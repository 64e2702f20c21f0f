package dev.runbus.server.graphql;

import io.vertx.core.json.JsonObject;

/** Request bodies as each W&B client generation builds them. */
final class Bodies {
  private Bodies() {}

  /** v0.16 (Python): query and variables, an empty object when there are none. */
  static JsonObject python(String document, JsonObject variables) {
    return new JsonObject()
        .put("query", GraphQlHarness.doc(document))
        .put("variables", variables == null ? new JsonObject() : variables);
  }

  /** wandb-core (Go): query and operationName, and no variables key when there are none. */
  static JsonObject core(String document, String operationName, JsonObject variables) {
    JsonObject body =
        new JsonObject()
            .put("query", GraphQlHarness.doc(document))
            .put("operationName", operationName);
    if (variables != null) {
      body.put("variables", variables);
    }
    return body;
  }

  /** UpsertBucket's variables with every one W&B sends, null unless set. */
  static JsonObject upsertVariables() {
    JsonObject v = new JsonObject();
    for (String name :
        new String[] {
          "id", "name", "project", "entity", "groupName", "description", "displayName", "notes",
          "commit", "config", "host", "debug", "program", "repo", "jobType", "state", "sweep",
          "tags", "summaryMetrics"
        }) {
      v.putNull(name);
    }
    return v;
  }
}
