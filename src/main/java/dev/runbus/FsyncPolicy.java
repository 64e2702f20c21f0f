package dev.runbus;

/**
 * When the run's log is forced to the storage device. Whatever the policy, buffered bytes reach the
 * operating system at least every flush interval (one second by default), which is enough to
 * survive the process being killed; forcing to the device is what survives the machine losing
 * power.
 */
public enum FsyncPolicy {
  /** Once, when the run finishes (the default). */
  AT_FINISH,
  /** Never; the operating system decides. */
  NONE,
  /** Every fsync interval while the run is live, and at finish. */
  INTERVAL
}
