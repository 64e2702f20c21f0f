package dev.runbus.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void retriesWhatMayPassLaterAndNothingElse() {
    for (int status : new int[] {0, 408, 429, 500, 502, 503, 504, 599, 600}) {
      assertTrue(RetryPolicy.retryable(status), "status " + status);
    }
    for (int status : new int[] {200, 400, 401, 403, 404, 409, 410, 413, 422, 501}) {
      assertFalse(RetryPolicy.retryable(status), "status " + status);
    }
  }

  @Test
  void backsOffExponentiallyWithJitterUpToTheCap() {
    RetryPolicy noJitter = new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(60), () -> 0);
    assertEquals(Duration.ofSeconds(2), noJitter.delay(0, Optional.empty()));
    assertEquals(Duration.ofSeconds(4), noJitter.delay(1, Optional.empty()));
    assertEquals(Duration.ofSeconds(32), noJitter.delay(4, Optional.empty()));
    assertEquals(Duration.ofSeconds(60), noJitter.delay(5, Optional.empty()));
    assertEquals(Duration.ofSeconds(60), noJitter.delay(1000, Optional.empty()));
    RetryPolicy fullJitter = new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(60), () -> 1);
    assertEquals(Duration.ofMillis(2500), fullJitter.delay(0, Optional.empty()));
    assertEquals(Duration.ofSeconds(60), fullJitter.delay(5, Optional.empty()));
  }

  @Test
  void honoursRetryAfterWithinTheCap() {
    RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(60), () -> 0.5);
    assertEquals(Duration.ofSeconds(1), policy.delay(7, Optional.of(Duration.ofSeconds(1))));
    assertEquals(Duration.ofSeconds(60), policy.delay(0, Optional.of(Duration.ofHours(1))));
  }

  @Test
  void readsRetryAfterAsSecondsOrAnHttpDate() {
    Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
    assertEquals(Optional.of(Duration.ofSeconds(3)), RetryPolicy.parseRetryAfter(" 3 ", clock));
    assertEquals(
        Optional.of(Duration.ofSeconds(90)),
        RetryPolicy.parseRetryAfter("Wed, 02 Dec 2026 12:01:30 GMT", clock));
    assertEquals(
        Optional.of(Duration.ZERO),
        RetryPolicy.parseRetryAfter("Wed, 02 Dec 2026 11:00:00 GMT", clock));
    assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("soon", clock));
    assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter(null, clock));
    assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("-5", clock));
  }
}
