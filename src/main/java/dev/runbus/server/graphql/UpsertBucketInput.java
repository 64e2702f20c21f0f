package dev.runbus.server.graphql;

import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.RunUpsert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * UpsertBucket's {@code input} object, read into the store's {@link RunUpsert}. W&B's names map
 * as: modelName → project, entityName → entity, groupName → group, jobProgram → program, jobRepo
 * → repo. {@code debug} is accepted and ignored. A null value means "leave unchanged".
 */
record UpsertBucketInput(String storageId, RunUpsert upsert) {

  static UpsertBucketInput from(Map<String, Object> input) {
    // neither name nor id: the store names the run, in W&B's shape
    RunUpsert upsert =
        new RunUpsert(
            // An offline run synced later may carry an empty entity: the viewer's, as null is.
            emptyAsNull(text(input, "entityName")),
            text(input, "modelName"),
            text(input, "name"),
            text(input, "displayName"),
            text(input, "notes"),
            text(input, "description"),
            text(input, "groupName"),
            text(input, "jobType"),
            text(input, "host"),
            text(input, "jobProgram"),
            text(input, "jobRepo"),
            text(input, "commit"),
            text(input, "sweep"),
            text(input, "state"),
            text(input, "config"),
            text(input, "summaryMetrics"),
            tags(input.get("tags")));
    return new UpsertBucketInput(text(input, "id"), upsert);
  }

  private static String text(Map<String, Object> input, String key) {
    Object value = input.get(key);
    return value == null ? null : value.toString();
  }

  private static String emptyAsNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static List<String> tags(Object value) {
    if (value == null) {
      return null;
    }
    List<String> tags = new ArrayList<>();
    for (Object tag : (List<?>) value) {
      if (tag == null) {
        throw new BadInputException("tags must not contain null");
      }
      tags.add(tag.toString());
    }
    return List.copyOf(tags);
  }
}
