package dev.runbus.service.bridge;

import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Runs one session's tasks one at a time, in the order they were submitted, on a shared pool: a
 * session's frames apply in the order its client sent them, while sessions run side by side. At
 * most {@code maxPending} frames wait, so a client that does not wait for answers cannot queue
 * without bound.
 */
final class SerialExecutor {

  private final Executor pool;
  private final int maxPending;
  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
  private int pending;

  SerialExecutor(Executor pool, int maxPending) {
    this.pool = pool;
    this.maxPending = maxPending;
  }

  /** Queues a client's frame; fails with RESOURCE_EXHAUSTED when {@code maxPending} wait. */
  synchronized <T> CompletableFuture<T> submit(Callable<T> task) {
    if (pending >= maxPending) {
      return CompletableFuture.failedFuture(
          new ServiceException(
              ServiceStatus.RESOURCE_EXHAUSTED,
              pending + " frames of this run are waiting already; wait for their answers before"
                  + " sending more"));
    }
    return always(task);
  }

  /** Queues a task of the service's own (a finish), which no bound refuses. */
  synchronized <T> CompletableFuture<T> always(Callable<T> task) {
    pending++;
    CompletableFuture<T> next =
        tail.handleAsync( // after the previous task, whatever its outcome
            (ignored, failure) -> {
              try {
                return task.call();
              } catch (RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            },
            pool);
    tail = next;
    next.whenComplete((result, failure) -> done());
    return next;
  }

  private synchronized void done() {
    pending--;
  }
}
