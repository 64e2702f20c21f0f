package dev.runbus.writer;

/** A run directory or its log could not be created or written; the message says which and why. */
public final class RunDirectoryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RunDirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
