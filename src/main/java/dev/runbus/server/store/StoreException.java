package dev.runbus.server.store;

/**
 * A request the store refuses, with a message fit for the client (never SQL text). Failures of
 * the database itself stay {@link java.io.UncheckedIOException} or {@link RuntimeException}s and
 * are answered as 500 or 503 without their text.
 */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }
}
