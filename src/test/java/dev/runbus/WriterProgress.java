package dev.runbus;

import dev.runbus.proto.PipelineProgress;
import dev.runbus.proto.Result;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the Writer reports of the log in its answers, watched on a host Vert.x's bus: how a test
 * knows what was written, handed to the OS and forced to the device without reading the file and
 * without racing the Writer (an answer is sent only after what it reports was done).
 */
public final class WriterProgress {

  private final List<PipelineProgress> seen = new ArrayList<>();

  private WriterProgress() {}

  /** Starts watching every answer delivered on {@code vertx}'s bus from now on. */
  public static WriterProgress watch(Vertx vertx) {
    WriterProgress watch = new WriterProgress();
    vertx
        .eventBus()
        .addInboundInterceptor(
            context -> {
              Object body = context.body();
              if (body instanceof PipelineProgress progress) {
                watch.add(progress); // the Writer's answer to a batch
              } else if (body instanceof Result result
                  && result.getResponse().hasFinishResponse()) {
                watch.add(result.getResponse().getFinishResponse().getProgress());
              }
              context.next();
            });
    return watch;
  }

  private synchronized void add(PipelineProgress progress) {
    seen.add(progress);
    notifyAll();
  }

  /** Every report so far, in the order they were delivered. */
  public synchronized List<PipelineProgress> seen() {
    return List.copyOf(seen);
  }

  /** The first report that satisfies {@code condition}, waiting for it up to {@code timeout}. */
  public synchronized PipelineProgress await(
      Predicate<PipelineProgress> condition, Duration timeout) throws InterruptedException {
    PipelineProgress found = first(condition, timeout);
    if (found == null) {
      throw new AssertionError(
          "the Writer reported no such progress in " + timeout + "; it reported " + seen);
    }
    return found;
  }

  /** The first report that satisfies {@code condition} within {@code timeout}, else null. */
  public synchronized PipelineProgress poll(
      Predicate<PipelineProgress> condition, Duration timeout) throws InterruptedException {
    return first(condition, timeout);
  }

  private PipelineProgress first(Predicate<PipelineProgress> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int checked = 0; ; ) {
      for (; checked < seen.size(); checked++) {
        if (condition.test(seen.get(checked))) {
          return seen.get(checked);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
