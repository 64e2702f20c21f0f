package dev.runbus.service;

import dev.runbus.bus.Failures;

/**
 * Why a remote call failed, in the words every transport has: gRPC's status codes, and the
 * event-bus failure codes a cluster client or the bridge receives.
 */
public enum ServiceStatus {
  INVALID_ARGUMENT(Failures.BAD_RECORD),
  UNAUTHENTICATED(Failures.UNAUTHENTICATED),
  NOT_FOUND(Failures.NO_SUCH_RUN),
  ALREADY_EXISTS(Failures.RUN_EXISTS),
  FAILED_PRECONDITION(Failures.BAD_RECORD),
  RESOURCE_EXHAUSTED(Failures.RESOURCE_EXHAUSTED),
  UNAVAILABLE(Failures.UPSTREAM_TIMEOUT),
  INTERNAL(Failures.INTERNAL);

  /** The event-bus failure code for this status. */
  public final int busCode;

  ServiceStatus(int busCode) {
    this.busCode = busCode;
  }

  /** The status an event-bus failure code stands for (the reverse of {@link #busCode}). */
  public static ServiceStatus ofBusCode(int code) {
    return switch (code) {
      case Failures.BAD_RECORD -> INVALID_ARGUMENT;
      case Failures.UNAUTHENTICATED -> UNAUTHENTICATED;
      case Failures.NO_SUCH_RUN -> NOT_FOUND;
      case Failures.RUN_EXISTS -> ALREADY_EXISTS;
      case Failures.RESOURCE_EXHAUSTED -> RESOURCE_EXHAUSTED;
      case Failures.UPSTREAM_TIMEOUT -> UNAVAILABLE;
      default -> INTERNAL;
    };
  }
}
