package dev.runbus.server.store;

/** The run, project or file does not exist, or belongs to another entity (the two look alike). */
public final class NotFoundException extends StoreException {
  public NotFoundException(String message) {
    super(message);
  }
}
