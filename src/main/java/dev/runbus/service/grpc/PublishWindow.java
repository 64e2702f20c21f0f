package dev.runbus.service.grpc;

import dev.runbus.proto.PublishRequest;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * One Publish stream's account: which run and rank it feeds, the batches taken and not yet
 * acknowledged, and the bytes they hold. A client may have {@code maxUnacked} batches
 * unacknowledged, each at most {@code maxBatchBytes}; one more, or a bigger one, is
 * RESOURCE_EXHAUSTED. Within that window the stream is paused (HTTP/2 flow control then holds the
 * client back) while the batches held take {@code pauseBytes} or more, so a client of big batches
 * waits instead of failing. Not thread-safe: one stream, one event loop.
 */
final class PublishWindow {

  static final int MAX_UNACKED = 8;
  static final int MAX_BATCH_BYTES = 2 << 20;
  static final long PAUSE_BYTES = 4L << 20;

  private final int maxUnacked;
  private final int maxBatchBytes;
  private final long pauseBytes;

  private String runId;
  private int rank = -1;
  private boolean anySeq;
  private long lastSeq;
  /** Batches taken and not acknowledged: seq to bytes. */
  private final Map<Long, Integer> held = new HashMap<>();
  private long heldBytes;

  PublishWindow() {
    this(MAX_UNACKED, MAX_BATCH_BYTES, PAUSE_BYTES);
  }

  PublishWindow(int maxUnacked, int maxBatchBytes, long pauseBytes) {
    this.maxUnacked = maxUnacked;
    this.maxBatchBytes = maxBatchBytes;
    this.pauseBytes = pauseBytes;
  }

  /**
   * Takes a batch of {@code bytes} into the window.
   *
   * @throws ServiceException INVALID_ARGUMENT for a message that names no run, another run or rank
   *     than the stream's first, or a sequence number not above the last one; RESOURCE_EXHAUSTED
   *     for a batch over the size limit or one more than the window holds
   */
  void take(PublishRequest request, int bytes) {
    bind(request.getRunId(), request.getRank());
    long seq = request.getSeq();
    if (anySeq && seq <= lastSeq) {
      throw new ServiceException(
          ServiceStatus.INVALID_ARGUMENT,
          "batch seq " + seq + " is not above the last one, " + lastSeq + "; seq must increase");
    }
    if (bytes > maxBatchBytes) {
      throw new ServiceException(
          ServiceStatus.RESOURCE_EXHAUSTED,
          "batch seq "
              + seq
              + " is "
              + bytes
              + " bytes; the limit is "
              + maxBatchBytes
              + " bytes: split it");
    }
    if (held.size() >= maxUnacked) {
      throw new ServiceException(
          ServiceStatus.RESOURCE_EXHAUSTED,
          "batch seq "
              + seq
              + " would make "
              + (held.size() + 1)
              + " batches unacknowledged; at most "
              + maxUnacked
              + " may be unacknowledged: wait for acks before sending more");
    }
    anySeq = true;
    lastSeq = seq;
    held.put(seq, bytes);
    heldBytes += bytes;
  }

  private void bind(String run, int rankOfRequest) {
    if (run.isEmpty()) {
      throw new ServiceException(
          ServiceStatus.INVALID_ARGUMENT, "a Publish message names no run (run_id is empty)");
    }
    if (rankOfRequest < 0) {
      throw new ServiceException(
          ServiceStatus.INVALID_ARGUMENT, "rank " + rankOfRequest + " is negative");
    }
    if (runId == null) {
      runId = run;
      rank = rankOfRequest;
      return;
    }
    if (!runId.equals(run) || rank != rankOfRequest) {
      throw new ServiceException(
          ServiceStatus.INVALID_ARGUMENT,
          "this Publish stream is run "
              + runId
              + " rank "
              + rank
              + "; a message named run "
              + run
              + " rank "
              + rankOfRequest
              + " (one stream per rank)");
    }
  }

  /** The batch {@code seq} was answered: it leaves the window. */
  void answered(long seq) {
    Integer bytes = held.remove(seq);
    if (bytes != null) {
      heldBytes -= bytes;
    }
  }

  /** Whether the stream should stop reading until batches are answered. */
  boolean full() {
    return heldBytes >= pauseBytes;
  }

  int unacked() {
    return held.size();
  }

  long heldBytes() {
    return heldBytes;
  }

  /** The stream's run, once its first message came; else null. */
  String runId() {
    return runId;
  }

  int rank() {
    return rank;
  }
}
