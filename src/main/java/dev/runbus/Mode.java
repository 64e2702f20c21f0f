package dev.runbus;

import java.util.Locale;

/** Where a run's data goes. */
public enum Mode {
  /**
   * Written to the local log and streamed to a server. Not available in this version: {@code init}
   * refuses it with a message that says to use offline and {@code wandb sync}.
   */
  ONLINE,
  /** Written to the local log only; {@code wandb sync} can upload it later. */
  OFFLINE,
  /**
   * Nothing is written and nothing starts, for libraries that track optionally. Calls are checked
   * and answered as in a tracked run (the same errors, steps and value types); config and summary
   * hold what is set explicitly.
   */
  DISABLED;

  /** Parses W&B's {@code WANDB_MODE} words: online/run, offline/dryrun, disabled. */
  public static Mode parse(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "online":
      case "run":
        return ONLINE;
      case "offline":
      case "dryrun":
        return OFFLINE;
      case "disabled":
        return DISABLED;
      default:
        throw new IllegalArgumentException(
            "unknown run mode \"" + text + "\": use online, offline or disabled (WANDB_MODE)");
    }
  }
}
