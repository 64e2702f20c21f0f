package dev.runbus.sender;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * When to try a request to the server again, and after how long; W&B's rules (wandb-core's): a
 * status that says the request itself is wrong, or that it will never be allowed, is not retried;
 * anything that may pass later (429, 5xx, a timeout, a connection error) is, after {@code min × 2^n}
 * plus up to 25% jitter (so many clients do not return in step), capped at {@code max}. A server's
 * {@code Retry-After} is honoured as it says, within the cap.
 */
public final class RetryPolicy {

  /** Statuses W&B's clients never retry: the request is wrong or will never be allowed. */
  private static final Set<Integer> REFUSALS = Set.of(400, 401, 403, 404, 409, 410, 413, 422, 501);

  /** A connection error or timeout: no HTTP status at all. */
  public static final int NO_RESPONSE = 0;

  private final Duration min;
  private final Duration max;
  private final DoubleSupplier random;

  public RetryPolicy(Duration min, Duration max, DoubleSupplier random) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("retry waits must be 0 < min <= max: " + min + ", " + max);
    }
    this.min = min;
    this.max = max;
    this.random = random;
  }

  /** W&B's: from 2 s doubling to 60 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        Duration.ofSeconds(2), Duration.ofSeconds(60), () -> Math.random());
  }

  /** Whether a request answered {@code status} ({@link #NO_RESPONSE} for none) may pass later. */
  public static boolean retryable(int status) {
    if (status == NO_RESPONSE || status >= 600) {
      return true;
    }
    if (status < 400) {
      return false; // a success, or a redirect that was not followed: nothing to try again
    }
    return !REFUSALS.contains(status);
  }

  /**
   * How long to wait before attempt {@code attempt + 1} ({@code attempt} counts from 0, the first
   * failure). {@code retryAfter} is the server's word, when it said one.
   */
  public Duration delay(int attempt, Optional<Duration> retryAfter) {
    if (retryAfter.isPresent() && !retryAfter.get().isNegative()) {
      return retryAfter.get().compareTo(max) > 0 ? max : retryAfter.get();
    }
    double base = min.toMillis() * Math.pow(2, Math.min(attempt, 30));
    double jittered = base * (1 + 0.25 * random.getAsDouble());
    return Duration.ofMillis((long) Math.min(jittered, max.toMillis()));
  }

  /**
   * A {@code Retry-After} header: delta seconds or an HTTP date; empty when absent or unreadable
   * (the backoff then applies).
   */
  public static Optional<Duration> parseRetryAfter(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String text = header.trim();
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(clock.instant(), at.toInstant());
        return Optional.of(until.isNegative() ? Duration.ZERO : until);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
