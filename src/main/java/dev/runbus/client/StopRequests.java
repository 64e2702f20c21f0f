package dev.runbus.client;

import com.google.protobuf.Message;
import dev.runbus.bus.Addresses;
import dev.runbus.proto.Record;
import dev.runbus.proto.Request;
import dev.runbus.proto.Result;
import dev.runbus.proto.StopStatusRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Whether the run's server asked it to stop (W&B's "stop run" button). The Sender learns it from the
 * server; this asks the Sender at most every {@link #POLL_MILLIS} and never waits for the answer,
 * so {@code shouldStop()} costs a training loop nothing. A callback, if set, runs once, on a thread
 * of its own (it may well call {@code finish()}).
 */
final class StopRequests {

  static final long POLL_MILLIS = 2_000;

  private final String runId;
  private final BiFunction<String, Message, CompletableFuture<Message>> direct;
  private volatile boolean stop;
  private volatile Runnable callback;
  private boolean calledBack;
  private long lastAsked = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
  private boolean asking;

  StopRequests(String runId, BiFunction<String, Message, CompletableFuture<Message>> direct) {
    this.runId = runId;
    this.direct = direct;
  }

  boolean shouldStop() {
    askIfDue();
    return stop;
  }

  void onStop(Runnable callback) {
    this.callback = callback;
    askIfDue();
  }

  /** Asks again when the last answer is old enough; called by shouldStop() and a timer. */
  synchronized void askIfDue() {
    long now = System.nanoTime();
    if (stop || asking || now - lastAsked < TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)) {
      return;
    }
    asking = true;
    lastAsked = now;
    direct
        .apply(
            Addresses.handler(runId),
            Record.newBuilder()
                .setRequest(
                    Request.newBuilder().setStopStatus(StopStatusRequest.getDefaultInstance()))
                .build())
        .whenComplete(
            (answer, failure) -> {
              boolean stopNow =
                  failure == null
                      && answer instanceof Result result
                      && result.getResponse().getStopStatusResponse().getRunShouldStop();
              answered(stopNow);
            });
  }

  private void answered(boolean stopNow) {
    Runnable toCall = null;
    synchronized (this) {
      asking = false;
      if (stopNow) {
        stop = true;
        if (callback != null && !calledBack) {
          calledBack = true;
          toCall = callback;
        }
      }
    }
    if (toCall != null) {
      Thread thread = new Thread(toCall, "runbus-stop-" + runId);
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** A stop that arrived before the callback was set still calls it. */
  synchronized void callbackIfStopped() {
    if (stop && callback != null && !calledBack) {
      calledBack = true;
      Thread thread = new Thread(callback, "runbus-stop-" + runId);
      thread.setDaemon(true);
      thread.start();
    }
  }
}
