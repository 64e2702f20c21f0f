package dev.runbus;

/** runbus could not do what was asked (start a run, reach its pipeline); the message says why. */
public class RunbusException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RunbusException(String message) {
    super(message);
  }

  public RunbusException(String message, Throwable cause) {
    super(message, cause);
  }
}
