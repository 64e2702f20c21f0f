package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InFlightLimiterTest {

  @Test
  void boundsPostsAndBytesAndGivesBackOnRelease() {
    InFlightLimiter limiter = new InFlightLimiter(100, 2);
    InFlightLimiter.Permit a = limiter.tryAcquire(60);
    assertNotNull(a);
    assertNull(limiter.tryAcquire(50), "60 + 50 bytes is over the bound");
    InFlightLimiter.Permit b = limiter.tryAcquire(40);
    assertNotNull(b);
    assertNull(limiter.tryAcquire(0), "two posts is the bound");
    a.release();
    a.release(); // idempotent
    assertEquals(1, limiter.postsInFlight());
    assertEquals(40, limiter.bytesInFlight());
    b.release();
    assertEquals(0, limiter.bytesInFlight());
  }

  @Test
  void aReservationShrinksToTheBodyRead() {
    InFlightLimiter limiter = new InFlightLimiter(100, 10);
    InFlightLimiter.Permit p = limiter.tryAcquire(100);
    p.shrinkTo(10);
    assertEquals(10, limiter.bytesInFlight());
    p.shrinkTo(50); // never grows
    assertEquals(10, limiter.bytesInFlight());
    assertNotNull(limiter.tryAcquire(90));
  }

  @Test
  void aPostLargerThanTheBoundGetsInAlone() {
    InFlightLimiter limiter = new InFlightLimiter(100, 10);
    InFlightLimiter.Permit big = limiter.tryAcquire(500);
    assertNotNull(big);
    assertNull(limiter.tryAcquire(1));
    big.release();
    assertNotNull(limiter.tryAcquire(1));
  }

  @Test
  void busyPastHalfOfEitherBound() {
    InFlightLimiter limiter = new InFlightLimiter(100, 4);
    assertFalse(limiter.busy());
    InFlightLimiter.Permit p = limiter.tryAcquire(51);
    assertTrue(limiter.busy());
    p.release();
    limiter.tryAcquire(1);
    limiter.tryAcquire(1);
    assertFalse(limiter.busy());
    limiter.tryAcquire(1);
    assertTrue(limiter.busy());
  }
}
