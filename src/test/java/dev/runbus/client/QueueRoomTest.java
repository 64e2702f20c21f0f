package dev.runbus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class QueueRoomTest {

  @Test
  void bytesAndRowsAreBoundedTogether() {
    QueueRoom room = new QueueRoom(3, 100);
    assertTrue(room.tryTake(1, 60));
    assertFalse(room.tryTake(1, 41), "41 more bytes do not fit");
    assertTrue(room.tryTake(1, 40));
    assertFalse(room.tryTake(1, 1), "nor does one more byte once the budget is all taken");
    room.giveBytes(100);
    assertTrue(room.tryTake(1, 0));
    assertFalse(room.tryTake(1, 0), "three rows at most");
    room.giveRows(3);
    assertEquals(0, room.rows());
    assertEquals(0, room.bytes());
  }

  @Test
  void anItemBiggerThanTheBudgetWaitsForAllTheRestAndGoesAlone() throws Exception {
    QueueRoom room = new QueueRoom(10, 100);
    assertTrue(room.tryTake(1, 1));
    assertFalse(room.tryTake(1, 500));
    Thread big = new Thread(() -> take(room, 1, 500));
    big.start();
    awaitWaiting(big);
    room.give(1, 1); // the last byte held by anyone else
    big.join();
    assertEquals(500, room.bytes());
    assertFalse(room.tryTake(1, 1), "nothing joins it until it is given back");
  }

  @Test
  void closingWakesAWaiterWithTheReasonAndRefusesEveryLaterTake() throws Exception {
    QueueRoom room = new QueueRoom(10, 100);
    assertTrue(room.tryTake(1, 100));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                take(room, 1, 1);
              } catch (RuntimeException e) {
                thrown.set(e);
              }
            });
    waiter.start();
    awaitWaiting(waiter);
    IllegalStateException why = new IllegalStateException("the pump died");
    room.close(why);
    waiter.join();
    assertTrue(thrown.get() instanceof QueueRoom.DeadRoomException, String.valueOf(thrown.get()));
    assertSame(why, thrown.get().getCause());
    assertFalse(room.tryTake(0, 0));
    assertThrows(QueueRoom.DeadRoomException.class, () -> room.take(0, 0));
  }

  @Test
  void anInterruptedWaiterTakesNothing() throws Exception {
    QueueRoom room = new QueueRoom(10, 100);
    assertTrue(room.tryTake(1, 100));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                room.take(1, 1);
              } catch (InterruptedException e) {
                thrown.set(e);
              }
            });
    waiter.start();
    awaitWaiting(waiter);
    waiter.interrupt();
    waiter.join();
    assertTrue(thrown.get() instanceof InterruptedException);
    assertEquals(1, room.rows());
    assertEquals(100, room.bytes());
  }

  private static void take(QueueRoom room, int rows, long bytes) {
    try {
      room.take(rows, bytes);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitWaiting(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (thread.getState() != Thread.State.WAITING) {
      assertTrue(System.nanoTime() < deadline, "the thread never waited");
      Thread.sleep(5);
    }
  }
}
