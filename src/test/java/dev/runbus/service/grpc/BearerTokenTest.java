package dev.runbus.service.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.service.ServiceException;
import dev.runbus.service.ServiceStatus;
import dev.runbus.service.ServiceToken;
import org.junit.jupiter.api.Test;

class BearerTokenTest {

  private final ServiceToken token = ServiceToken.of("s3cret");

  private String refusal(String authorization) {
    ServiceException e =
        assertThrows(ServiceException.class, () -> BearerToken.check(token, authorization));
    assertEquals(ServiceStatus.UNAUTHENTICATED, e.status());
    return e.getMessage();
  }

  @Test
  void acceptsTheServicesTokenAsABearerToken() {
    assertEquals("s3cret", BearerToken.check(token, "Bearer s3cret"));
    assertEquals("s3cret", BearerToken.check(token, "bearer  s3cret "));
  }

  @Test
  void refusesNoTokenAnotherSchemeAndAnotherToken() {
    assertTrue(refusal(null).startsWith("no token"));
    assertTrue(refusal("").startsWith("no token"));
    assertTrue(refusal("Basic czNjcmV0").contains("not 'Bearer <token>'"));
    assertTrue(refusal("s3cret").contains("not 'Bearer <token>'"));
    assertTrue(refusal("Bearer s3cre").startsWith("wrong token"));
    assertTrue(refusal("Bearer ").contains("not 'Bearer <token>'"));
  }
}
