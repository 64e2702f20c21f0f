package dev.runbus.server.store;

import java.util.List;

/**
 * UpsertBucket's input. A null field means "leave unchanged" (W&B's rule); on creation, null
 * fields stay empty. {@code config} and {@code summaryMetrics} are JSON object texts; a new config
 * replaces the stored one (W&B's clients always send the whole config).
 */
public record RunUpsert(
    String entity,
    String project,
    String name,
    String displayName,
    String notes,
    String description,
    String group,
    String jobType,
    String host,
    String program,
    String repo,
    String commit,
    String sweep,
    String state,
    String config,
    String summaryMetrics,
    List<String> tags) {}
