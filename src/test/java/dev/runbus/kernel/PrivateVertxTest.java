package dev.runbus.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The private instance is built without Netty's DNS resolver, and the switch that does it is
 * Vert.x's one system property: it must be back as it was once the instance is built, so a host
 * application's own Vert.x keeps the resolver it chose.
 */
class PrivateVertxTest {

  private static final String SWITCH = "vertx.disableDnsResolver";

  @Test
  void theResolverSwitchIsSetOnlyWhileThePrivateInstanceIsBuilt() throws Exception {
    assertNull(System.getProperty(SWITCH), "set by someone else before the test");
    Vertx vertx = Kernel.buildPrivate();
    try {
      assertNull(System.getProperty(SWITCH));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSwitchTheJvmWasGivenIsKept() throws Exception {
    System.setProperty(SWITCH, "false");
    try {
      Vertx vertx = Kernel.buildPrivate();
      vertx.close().await(10, TimeUnit.SECONDS);
      assertEquals("false", System.getProperty(SWITCH));
    } finally {
      System.clearProperty(SWITCH);
    }
  }
}
