package dev.runbus.server;

import java.time.Duration;

/**
 * The HTTP side's bounds, beside {@link ServerConfig}: what may be in flight at once, how long an
 * upload URL lives, how many threads do database work, how long shutdown waits.
 *
 * @param maxInFlightBytes FileStream bodies held at once, server-wide; over it a post gets 429
 * @param maxInFlightPosts FileStream posts being read or stored at once; over it, 429
 * @param uploadUrlTtl how long a signed upload URL stays valid
 * @param dbWorkers threads of the shared worker pool that runs every JDBC call
 * @param shutdownTimeout how long a stopping server waits for requests in flight
 * @param crashAfter how long a running run may stay silent (no FileStream post) before it is
 *     marked crashed; W&B's clients post at least every 30 seconds while their process lives
 */
public record ServerLimits(
    long maxInFlightBytes,
    int maxInFlightPosts,
    Duration uploadUrlTtl,
    int dbWorkers,
    Duration shutdownTimeout,
    Duration crashAfter) {

  /** Two posts of the largest size, or many of W&B's usual size (under 1 MiB). */
  public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 2 * ServerConfig.DEFAULT_MAX_BODY_BYTES;
  public static final int DEFAULT_MAX_IN_FLIGHT_POSTS = 64;
  public static final Duration DEFAULT_UPLOAD_URL_TTL = Duration.ofHours(24);
  public static final int DEFAULT_DB_WORKERS = 8;
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
  /** Ten of W&B's 30-second heartbeats missed: a slow network is not a crash. */
  public static final Duration DEFAULT_CRASH_AFTER = Duration.ofMinutes(5);

  public ServerLimits {
    if (maxInFlightBytes < 1 || maxInFlightPosts < 1 || dbWorkers < 1) {
      throw new IllegalArgumentException("in-flight bounds and database workers must be at least 1");
    }
    if (uploadUrlTtl.isNegative()
        || uploadUrlTtl.isZero()
        || shutdownTimeout.isNegative()
        || crashAfter.isNegative()
        || crashAfter.isZero()) {
      throw new IllegalArgumentException("durations must be positive");
    }
  }

  public static ServerLimits defaults() {
    return new ServerLimits(
        DEFAULT_MAX_IN_FLIGHT_BYTES,
        DEFAULT_MAX_IN_FLIGHT_POSTS,
        DEFAULT_UPLOAD_URL_TTL,
        DEFAULT_DB_WORKERS,
        DEFAULT_SHUTDOWN_TIMEOUT,
        DEFAULT_CRASH_AFTER);
  }

  public ServerLimits withMaxInFlightPosts(int posts) {
    return new ServerLimits(
        maxInFlightBytes, posts, uploadUrlTtl, dbWorkers, shutdownTimeout, crashAfter);
  }

  public ServerLimits withCrashAfter(Duration silence) {
    return new ServerLimits(
        maxInFlightBytes, maxInFlightPosts, uploadUrlTtl, dbWorkers, shutdownTimeout, silence);
  }
}
