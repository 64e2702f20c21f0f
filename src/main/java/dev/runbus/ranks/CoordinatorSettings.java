package dev.runbus.ranks;

/**
 * How one hosted run's coordinator behaves.
 *
 * @param worldSize ranks the job has (0 or 1: one writer)
 * @param windowBytes bytes held (merge window, and in flight to the Handler) before ranks wait
 * @param rankFinishTimeoutMs how long the primary's finish waits for the other ranks
 * @param stragglerTimeoutMs how long rows wait for a rank that sends nothing
 * @param finishTimeoutMs the run's own finish timeout (online: the upload)
 * @param closeGraceMs how long after its finish the primary may still ask questions before the
 *     run's stream is closed anyway
 */
public record CoordinatorSettings(
    long startingStep,
    int worldSize,
    int maxRanks,
    long windowBytes,
    long rankFinishTimeoutMs,
    long stragglerTimeoutMs,
    long finishTimeoutMs,
    long closeGraceMs) {}
