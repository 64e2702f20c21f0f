package dev.runbus.service.grpc;

import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import dev.runbus.service.ServiceToken;

/**
 * The token a gRPC call presents: the metadata {@code authorization: Bearer <token>}, on every
 * call, checked before anything of the call is read.
 */
final class BearerToken {

  static final String HEADER = "authorization";
  private static final String SCHEME = "bearer ";

  private BearerToken() {}

  /**
   * The token in an {@code authorization} value.
   *
   * @throws ServiceException UNAUTHENTICATED when there is none
   */
  static String presented(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw new ServiceException(
          ServiceStatus.UNAUTHENTICATED,
          "no token: send the service's token in the metadata 'authorization: Bearer <token>'");
    }
    String value = authorization.strip();
    if (value.length() <= SCHEME.length()
        || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new ServiceException(
          ServiceStatus.UNAUTHENTICATED,
          "the authorization metadata is not 'Bearer <token>'");
    }
    return value.substring(SCHEME.length()).strip();
  }

  /**
   * Checks the token in an {@code authorization} value; returns it.
   *
   * @throws ServiceException UNAUTHENTICATED when there is none or it is not the service's
   */
  static String check(ServiceToken token, String authorization) {
    String presented = presented(authorization);
    if (!token.matches(presented)) {
      throw new ServiceException(
          ServiceStatus.UNAUTHENTICATED,
          "wrong token: it is not this service's (see service.token in its data directory)");
    }
    return presented;
  }
}
