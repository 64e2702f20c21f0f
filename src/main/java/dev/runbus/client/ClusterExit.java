package dev.runbus.client;

import java.util.Set;

/**
 * Finishes the attached runs of a program that returned from main without finishing them. An
 * embedded run is finished by the JVM's shutdown hook ({@link OpenRuns}), but a JVM whose cluster
 * node is up never starts shutting down: Hazelcast's threads are not daemons. So a daemon thread
 * watches for the moment the JVM would have exited: the main thread is gone and every thread
 * still alive that is not a daemon belongs to Hazelcast, Netty's idle executor or runbus. Then it
 * finishes the open attached runs as the hook would (exit code 1 if main died of an exception);
 * their finish releases the node, which leaves the cluster, and the JVM ends.
 */
final class ClusterExit {

  private static final long POLL_MILLIS = 200;

  private static Thread watcher;

  private ClusterExit() {}

  /** Starts the watch once per JVM, if there is a main thread to watch. */
  static synchronized void watch() {
    if (watcher != null) {
      return;
    }
    Thread main = mainThread();
    if (main == null) {
      return; // no main thread (an application server, a test runner's own): nothing to watch for
    }
    watcher = new Thread(() -> watchMain(main), "runbus-cluster-exit-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void watchMain(Thread main) {
    try {
      main.join();
      while (true) {
        if (onlyLeftoversRun()) {
          OpenRuns.finishAttachedAtExit();
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether every live non-daemon thread is one that never ends a program on its own. */
  static boolean onlyLeftoversRun() {
    Set<Thread> threads = Thread.getAllStackTraces().keySet();
    for (Thread thread : threads) {
      if (thread.isAlive() && !thread.isDaemon() && !leftover(thread.getName())) {
        return false;
      }
    }
    return true;
  }

  /** Threads that would not keep a JVM alive without a cluster node, or that are runbus's own. */
  static boolean leftover(String name) {
    return name.startsWith("hz.")
        || name.startsWith("runbus-")
        || name.startsWith("globalEventExecutor")
        || name.equals("DestroyJavaVM");
  }

  private static Thread mainThread() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      ThreadGroup group = thread.getThreadGroup();
      if ("main".equals(thread.getName()) && group != null && "main".equals(group.getName())) {
        return thread;
      }
    }
    return null;
  }
}
