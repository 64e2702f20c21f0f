package dev.runbus.service.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.PublishRequest;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import org.junit.jupiter.api.Test;

class PublishWindowTest {

  private static PublishRequest message(String run, int rank, long seq) {
    return PublishRequest.newBuilder().setRunId(run).setRank(rank).setSeq(seq).build();
  }

  private static ServiceStatus refusal(Runnable take) {
    return assertThrows(ServiceException.class, take::run).status();
  }

  @Test
  void holdsAtMostTheWindowAndFreesWhatWasAnswered() {
    PublishWindow window = new PublishWindow(2, 100, 1000);
    window.take(message("r", 0, 1), 10);
    window.take(message("r", 0, 2), 10);
    assertEquals(ServiceStatus.RESOURCE_EXHAUSTED, refusal(() -> window.take(message("r", 0, 3), 10)));
    window.answered(1);
    window.take(message("r", 0, 3), 10);
    assertEquals(2, window.unacked());
  }

  @Test
  void refusesABatchOverTheLimit() {
    PublishWindow window = new PublishWindow(8, 100, 1000);
    window.take(message("r", 0, 1), 100);
    assertEquals(ServiceStatus.RESOURCE_EXHAUSTED, refusal(() -> window.take(message("r", 0, 2), 101)));
  }

  @Test
  void isFullOnceTheBytesHeldReachThePauseMark() {
    PublishWindow window = new PublishWindow(8, 100, 150);
    window.take(message("r", 0, 1), 100);
    assertFalse(window.full());
    window.take(message("r", 0, 2), 50);
    assertTrue(window.full());
    window.answered(2);
    assertFalse(window.full());
    assertEquals(100, window.heldBytes());
  }

  @Test
  void oneStreamIsOneRankOfOneRunWithIncreasingSeqs() {
    PublishWindow window = new PublishWindow();
    window.take(message("r", 2, 5), 1);
    assertEquals(ServiceStatus.INVALID_ARGUMENT, refusal(() -> window.take(message("r", 2, 5), 1)));
    assertEquals(ServiceStatus.INVALID_ARGUMENT, refusal(() -> window.take(message("s", 2, 6), 1)));
    assertEquals(ServiceStatus.INVALID_ARGUMENT, refusal(() -> window.take(message("r", 3, 6), 1)));
    window.take(message("r", 2, 9), 1);
    assertEquals(ServiceStatus.INVALID_ARGUMENT, refusal(() -> new PublishWindow().take(message("", 0, 1), 1)));
    assertEquals(ServiceStatus.INVALID_ARGUMENT, refusal(() -> new PublishWindow().take(message("r", -1, 1), 1)));
  }
}
