package dev.runbus.client;

/**
 * Notices when the program's main thread dies of an uncaught exception, so that a run the JVM's
 * exit finishes is recorded with exit code 1, as W&B records a script that raised. Java gives a
 * shutdown hook no exit status, and this is the one failure it can still see.
 *
 * <p>Installed only when the application has no default uncaught-exception handler of its own;
 * it prints exactly what the JVM prints without one, so the program's output does not change.
 */
final class MainThreadWatch {

  private static volatile Throwable mainThreadDied;

  private MainThreadWatch() {}

  static synchronized void install() {
    if (Thread.getDefaultUncaughtExceptionHandler() != null) {
      return; // the application decides what an uncaught exception means
    }
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (isMain(thread)) {
            mainThreadDied = e;
          }
          // what ThreadGroup.uncaughtException prints when no handler is set
          System.err.print("Exception in thread \"" + thread.getName() + "\" ");
          e.printStackTrace(System.err);
        });
  }

  /** The exit code for a run the JVM's exit finishes: 1 if main died of an exception, else 0. */
  static int exitCode() {
    return mainThreadDied != null ? 1 : 0;
  }

  private static boolean isMain(Thread thread) {
    ThreadGroup group = thread.getThreadGroup();
    return "main".equals(thread.getName()) && group != null && "main".equals(group.getName());
  }
}
