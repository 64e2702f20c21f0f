package dev.runbus.service.grpc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Publish streams open on one transport, by run and rank: a rank publishes through one stream
 * at a time, since batches on two streams would reach its coordinator in no defined order and its
 * rows would be stepped out of order.
 */
final class PublishStreams {

  private final Set<String> open = ConcurrentHashMap.newKeySet();

  /** Takes {@code rank} of {@code runId} for a stream; false when another stream has it. */
  boolean claim(String runId, int rank) {
    return open.add(key(runId, rank));
  }

  /** Gives it back once that stream ended, however it ended. */
  void release(String runId, int rank) {
    open.remove(key(runId, rank));
  }

  private static String key(String runId, int rank) {
    return rank + "/" + runId;
  }
}
