package dev.runbus.cli;

/** Range checks of command-line options, each naming the option and the value it got. */
final class Options {

  private Options() {}

  /** The message for {@code option} unless {@code value} is at least 1. */
  static String atLeastOne(String option, long value) {
    return value >= 1 ? null : option + " must be at least 1, got " + value;
  }

  /** The first of {@code messages} that is not null, or null when every option is valid. */
  static String firstInvalid(String... messages) {
    for (String message : messages) {
      if (message != null) {
        return message;
      }
    }
    return null;
  }
}
