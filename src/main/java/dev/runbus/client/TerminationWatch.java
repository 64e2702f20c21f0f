package dev.runbus.client;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Notices SIGTERM, the signal a scheduler (Slurm, Kubernetes, a spot instance's reclaim) sends a
 * job it preempts, so that the runs the JVM's exit finishes are finished as preempted rather than
 * as a clean exit. A shutdown hook cannot tell SIGTERM from {@code System.exit(0)}, hence the
 * signal handler ({@code sun.misc.Signal}, in {@code jdk.unsupported}): it only notes the signal
 * and hands it to the handler that was there before, so the JVM still runs its shutdown hooks and
 * exits with 143 as without runbus.
 *
 * <p>Not installed when SIGTERM was ignored or left to the OS ({@code -Xrs}, or a program that
 * chose so): then there is no handler to chain to, and the program's choice stands.
 */
final class TerminationWatch {

  /** What W&B's convention (128 + signal number) and a JVM killed by SIGTERM both report. */
  static final int SIGTERM_EXIT_CODE = 143;

  private static volatile boolean terminated;
  private static boolean installed;

  private TerminationWatch() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    Signal term;
    try {
      term = new Signal("TERM");
    } catch (IllegalArgumentException noSuchSignal) {
      return; // a platform without SIGTERM
    }
    SignalHandler[] previous = new SignalHandler[1];
    try {
      previous[0] =
          Signal.handle(
              term,
              signal -> {
                terminated = true;
                SignalHandler chained = previous[0];
                if (chained != null) {
                  chained.handle(signal);
                } else { // the signal came before handle() returned: exit as the JVM's would
                  Runtime.getRuntime().exit(SIGTERM_EXIT_CODE);
                }
              });
    } catch (IllegalArgumentException | IllegalStateException notAllowed) {
      return; // the JVM keeps this signal to itself (-Xrs): the hook sees a plain exit
    }
    if (previous[0] == SignalHandler.SIG_DFL || previous[0] == SignalHandler.SIG_IGN) {
      Signal.handle(term, previous[0]);
    }
  }

  /** Whether the JVM is exiting because it was sent SIGTERM. */
  static boolean terminated() {
    return terminated;
  }
}
