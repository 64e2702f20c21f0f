package dev.runbus.server.graphql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The JSON texts of a run that W&B's resume logic reads. */
final class ResumeJson {
  /** W&B's config and history texts may hold bare NaN and Infinity. */
  private static final ObjectMapper LENIENT =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private ResumeJson() {}

  /** historyTail / eventsTail: a JSON array whose elements are the stored line texts. */
  static String lineArray(List<String> lines) {
    try {
      return LENIENT.writeValueAsString(lines);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * wandbConfig(keys): the entries of {@code config._wandb.value} named by {@code keys}, as a
   * JSON object text; {@code {}} when the config has none (wandb-core then takes the run for one
   * that never started, as W&B's server would).
   */
  static String wandbConfig(String config, List<String> keys) {
    ObjectNode out = LENIENT.createObjectNode();
    if (config != null && keys != null) {
      try {
        JsonNode internal = LENIENT.readTree(config).path("_wandb").path("value");
        for (String key : keys) {
          if (key != null && internal.has(key)) {
            out.set(key, internal.get(key));
          }
        }
      } catch (JsonProcessingException e) {
        // Not ours to judge here: a config the store took but cannot be read has no entries.
      }
    }
    return out.toString();
  }
}
