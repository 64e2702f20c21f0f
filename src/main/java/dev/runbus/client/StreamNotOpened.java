package dev.runbus.client;

import dev.runbus.RunbusException;

/** The kernel did not open the run's stream as the run asked: nothing of the run was written. */
final class StreamNotOpened extends RunbusException {

  private static final long serialVersionUID = 1L;

  StreamNotOpened(String message, Throwable cause) {
    super(message, cause);
  }
}
