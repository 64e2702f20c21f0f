package dev.runbus.service.bridge;

import dev.runbus.RunbusException;
import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What a failed frame is answered with: the event-bus failure code of its {@link ServiceStatus}
 * and a message for the client. The Java API's refusals keep their own words (they name the key).
 */
record BridgeFailure(ServiceStatus status, String message) {

  static BridgeFailure of(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ServiceException refused) {
      return new BridgeFailure(refused.status(), refused.getMessage());
    }
    if (cause instanceof IllegalArgumentException) {
      return new BridgeFailure(ServiceStatus.INVALID_ARGUMENT, cause.getMessage());
    }
    if (cause instanceof IllegalStateException) { // after finish, a step past the last…
      return new BridgeFailure(ServiceStatus.FAILED_PRECONDITION, cause.getMessage());
    }
    if (cause instanceof RunbusException) { // the run could not start, or its pipeline failed
      return new BridgeFailure(ServiceStatus.INTERNAL, cause.getMessage());
    }
    return new BridgeFailure(ServiceStatus.INTERNAL, "the service failed on this frame: " + cause);
  }

  int code() {
    return status.busCode;
  }
}
