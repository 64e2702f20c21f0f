package dev.runbus.server.store;

/** Input the store cannot take (a bad name, config that is not JSON): answered 400 with this text. */
public final class BadInputException extends StoreException {
  public BadInputException(String message) {
    super(message);
  }
}
