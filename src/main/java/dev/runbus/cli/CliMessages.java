package dev.runbus.cli;

import java.util.Map;

/**
 * How the command line words what it tells the user: every line it prints itself starts with the
 * one prefix the library's own lines use, and advice that names the library's API is said in the
 * command line's own terms.
 */
final class CliMessages {

  static final String PREFIX = "runbus: ";

  /**
   * The library's advice written for a program, and what a user at the command line does instead.
   * The library's messages stay about the library; only the CLI rewords them.
   */
  private static final Map<String, String> API_ADVICE =
      Map.of(
          "WANDB_DIR (or Settings.dir)", "--dir (or WANDB_DIR)",
          " (or Settings.mode(Mode.OFFLINE))", "");

  private CliMessages() {}

  /** {@code message} as one line for the user: prefixed once, advice in command-line terms. */
  static String line(String message) {
    String text = message.startsWith(PREFIX) ? message : PREFIX + message;
    for (Map.Entry<String, String> advice : API_ADVICE.entrySet()) {
      text = text.replace(advice.getKey(), advice.getValue());
    }
    return text;
  }
}
