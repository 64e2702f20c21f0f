package dev.runbus.client;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The room between {@code log()} and the disk, in rows and in bytes. A put takes room and waits
 * while there is none; the pump gives the rows back when it drains them and the bytes when the
 * Handler answers the batch that carried them, so the bytes bound what is queued and in flight
 * alike.
 *
 * <p>An item bigger than the whole byte budget still goes: it waits until nothing else holds
 * bytes and then goes alone, so a big row slows the caller down but never deadlocks it. Once the
 * run is dead ({@link #close}), every take throws the reason, waiters included.
 */
final class QueueRoom {

  private final int maxRows;
  private final long maxBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private int rows; // under lock
  private long bytes; // under lock
  private volatile Throwable closed;

  QueueRoom(int maxRows, long maxBytes) {
    if (maxRows < 1 || maxBytes < 1) {
      throw new IllegalArgumentException(
          "queue room must be at least 1 row and 1 byte, was " + maxRows + " and " + maxBytes);
    }
    this.maxRows = maxRows;
    this.maxBytes = maxBytes;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** Takes room without waiting; false when there is none now (or the run is dead). */
  boolean tryTake(int rows, long bytes) {
    lock.lock();
    try {
      if (closed != null || !fits(rows, bytes)) {
        return false;
      }
      this.rows += rows;
      this.bytes += bytes;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes room for {@code rows} rows of {@code bytes} bytes, waiting while there is none.
   *
   * @throws InterruptedException if interrupted while waiting; nothing is taken then
   * @throws DeadRoomException once the run is dead, with the reason as its cause
   */
  void take(int rows, long bytes) throws InterruptedException {
    lock.lock();
    try {
      while (closed == null && !fits(rows, bytes)) {
        freed.await();
      }
      if (closed != null) {
        throw new DeadRoomException(closed);
      }
      this.rows += rows;
      this.bytes += bytes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Rows fit when there is room for all of them (an item never holds more rows than the whole
   * room); bytes fit when there is room, or when nothing else holds any, so an item bigger than
   * the budget goes alone.
   */
  private boolean fits(int rows, long bytes) {
    return this.rows + rows <= maxRows && (this.bytes == 0 || this.bytes + bytes <= maxBytes);
  }

  void giveRows(int rows) {
    give(rows, 0);
  }

  void giveBytes(long bytes) {
    give(0, bytes);
  }

  void give(int rows, long bytes) {
    if (rows == 0 && bytes == 0) {
      return;
    }
    lock.lock();
    try {
      this.rows -= rows;
      this.bytes -= bytes;
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Rows taken and not yet given back. */
  int rows() {
    lock.lock();
    try {
      return rows;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes taken and not yet given back: queued, being batched, or in flight. */
  long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  /** The run is dead: wakes every waiter, and every take from now on throws {@code why}. */
  void close(Throwable why) {
    lock.lock();
    try {
      if (closed == null) {
        closed = why;
      }
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Thrown by {@link #take} once the run is dead; the cause is why. */
  static final class DeadRoomException extends RuntimeException {
    DeadRoomException(Throwable why) {
      super(why.getMessage(), why, false, false);
    }
  }
}
