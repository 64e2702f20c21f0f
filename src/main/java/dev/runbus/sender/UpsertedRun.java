package dev.runbus.sender;

import io.vertx.core.json.JsonObject;

/**
 * The run as the server named it in UpsertBucket's answer: where every later request goes. W&B's
 * own test server leaves out ids, so only the names are required.
 */
record UpsertedRun(String entity, String project, String name, String storageId, String displayName) {

  /** From {@code data.upsertBucket.bucket}; the asked-for names fill what the answer leaves out. */
  static UpsertedRun from(JsonObject data, String entity, String project, String name) {
    JsonObject upsert = data.getJsonObject("upsertBucket");
    JsonObject bucket = upsert == null ? null : upsert.getJsonObject("bucket");
    if (bucket == null) {
      throw new ServerRefusal(
          ServerRefusal.GRAPHQL_ERROR, "the server", "UpsertBucket answered without a bucket");
    }
    JsonObject projectJson = bucket.getJsonObject("project", new JsonObject());
    JsonObject entityJson = projectJson.getJsonObject("entity", new JsonObject());
    return new UpsertedRun(
        firstSet(entityJson.getString("name"), entity),
        firstSet(projectJson.getString("name"), project.isEmpty() ? "uncategorized" : project),
        firstSet(bucket.getString("name"), name),
        bucket.getString("id", ""),
        bucket.getString("displayName", ""));
  }

  private static String firstSet(String a, String b) {
    return a != null && !a.isEmpty() ? a : b;
  }
}
