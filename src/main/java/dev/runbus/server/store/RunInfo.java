package dev.runbus.server.store;

import java.util.List;

/**
 * A run as stored. {@code storageId} is W&B's {@code bucket.id}: opaque to clients, sent back on
 * later upserts. {@code state} is one of running, finished, failed, crashed, preempted;
 * {@code exitCode} is null until the run completes. Times are epoch milliseconds.
 */
public record RunInfo(
    long id,
    String storageId,
    String entity,
    String project,
    String name,
    String displayName,
    String state,
    Integer exitCode,
    String config,
    String summary,
    String notes,
    String description,
    String group,
    String jobType,
    String host,
    String program,
    String repo,
    String commit,
    String sweep,
    List<String> tags,
    boolean stopRequested,
    long historyLineCount,
    long eventsLineCount,
    long logLineCount,
    long createdAtMillis,
    long updatedAtMillis,
    Long heartbeatAtMillis) {}
