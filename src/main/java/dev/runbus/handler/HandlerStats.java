package dev.runbus.handler;

/**
 * A snapshot of a run handler's counters.
 *
 * @param historyRows history records emitted
 * @param droppedRows log() requests dropped because their explicit step was below the current one
 * @param recordsIn records passed to {@code handle()}, a block of log() rows counting one per row
 * @param recordsOut records emitted to the sink, a block of rows counting one per row
 * @param lastStep step of the last emitted history row, -1 before the first
 * @param ignoredRecords records ignored (after exit, client-sent final/footer, records without a
 *     type)
 */
public record HandlerStats(
    long historyRows,
    long droppedRows,
    long recordsIn,
    long recordsOut,
    long lastStep,
    long ignoredRecords) {}
