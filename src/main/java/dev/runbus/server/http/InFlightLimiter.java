package dev.runbus.server.http;

/**
 * Bounds the FileStream work the whole server holds at once, in posts and in body bytes, so that a
 * burst of clients gets 429 and retries later instead of filling the heap. A post reserves its
 * declared size before its body is read (the largest allowed size when the size is not known in
 * advance: chunked or compressed) and gives back the difference once the body is in.
 */
public final class InFlightLimiter {

  private final long maxBytes;
  private final int maxPosts;
  private long bytes;
  private int posts;

  public InFlightLimiter(long maxBytes, int maxPosts) {
    this.maxBytes = maxBytes;
    this.maxPosts = maxPosts;
  }

  /**
   * A permit for a post of {@code reserveBytes}, or null when the server is full. A post larger
   * than the whole byte bound still gets in when nothing else is in flight, so no size the body
   * limit allows is refused forever.
   */
  public synchronized Permit tryAcquire(long reserveBytes) {
    if (posts >= maxPosts || (posts > 0 && bytes + reserveBytes > maxBytes)) {
      return null;
    }
    posts++;
    bytes += reserveBytes;
    return new Permit(reserveBytes);
  }

  /** More than half of either bound in use: time to ask clients to slow down. */
  public synchronized boolean busy() {
    return posts * 2L > maxPosts || bytes * 2 > maxBytes;
  }

  public synchronized int postsInFlight() {
    return posts;
  }

  public synchronized long bytesInFlight() {
    return bytes;
  }

  private synchronized void giveBack(long reservedBytes, boolean post) {
    bytes -= reservedBytes;
    if (post) {
      posts--;
    }
  }

  /** One post's share; {@link #release()} is idempotent, so every ending path may call it. */
  public final class Permit {
    private long reserved;
    private boolean released;

    private Permit(long reserved) {
      this.reserved = reserved;
    }

    /** The body turned out to be {@code actualBytes}: keep only that much (never more). */
    public void shrinkTo(long actualBytes) {
      synchronized (InFlightLimiter.this) {
        if (!released && actualBytes < reserved) {
          giveBack(reserved - actualBytes, false);
          reserved = actualBytes;
        }
      }
    }

    public void release() {
      synchronized (InFlightLimiter.this) {
        if (!released) {
          released = true;
          giveBack(reserved, true);
        }
      }
    }
  }
}
