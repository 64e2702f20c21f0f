package dev.runbus.service;

/** A remote call the service refuses, with the status every transport maps it to. */
public final class ServiceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ServiceStatus status;

  public ServiceException(ServiceStatus status, String message) {
    super(message);
    this.status = status;
  }

  public ServiceStatus status() {
    return status;
  }
}
