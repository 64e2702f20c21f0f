package dev.runbus.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * §2.4: a media value (an object with {@code _type}) that carries both {@code
 * _latest_artifact_path} and {@code artifact_path} enters the summary pointing at the latest
 * artifact.
 */
final class MediaSummaryValues {
  private static final String LATEST = "_latest_artifact_path";
  private static final String ARTIFACT = "artifact_path";

  private MediaSummaryValues() {}

  /** The value to store in the summary for one top-level JSON text (cheap unless media). */
  static String pointToLatest(String json) {
    if (json.isEmpty() || json.charAt(0) != '{' || !json.contains(LATEST)) {
      return json;
    }
    JsonNode node = JsonTrees.parse(json);
    return node != null && pointToLatest(node) ? JsonTrees.write(node) : json;
  }

  /** Rewrites the node in place; true when it changed. */
  static boolean pointToLatest(JsonNode node) {
    if (node instanceof ObjectNode object
        && object.has("_type")
        && object.has(LATEST)
        && object.has(ARTIFACT)) {
      object.set(ARTIFACT, object.get(LATEST));
      return true;
    }
    return false;
  }
}
