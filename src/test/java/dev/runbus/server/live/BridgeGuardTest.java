package dev.runbus.server.live;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.ext.bridge.BridgeEventType;
import org.junit.jupiter.api.Test;

class BridgeGuardTest {
  private static boolean register(String address, String entity) {
    return BridgeGuard.allows(BridgeEventType.REGISTER, address, entity);
  }

  @Test
  void onlyTheSignedInEntitysRunAndProjectAddressesMayBeRegistered() {
    assertTrue(register("rb.ui.run.alice/mnist/abc123", "alice"));
    assertTrue(register("rb.ui.project.alice/mnist", "alice"));
    assertTrue(register("rb.ui.run.alice/my project/run-1.b", "alice"));

    assertFalse(register("rb.ui.run.bob/mnist/abc123", "alice"), "another entity");
    assertFalse(register("rb.ui.project.bob/mnist", "alice"), "another entity's project");
    assertFalse(register("rb.ui.run.alice/mnist/abc123", null), "nobody signed in");
    assertFalse(register("rb.ui.run.alice/mnist", "alice"), "a run address without a run");
    assertFalse(register("rb.ui.run.alice/mnist/a/b", "alice"), "too many names");
    assertFalse(register("rb.ui.project.alice/mnist/abc", "alice"));
    assertFalse(register("rb.ui.run.alice//abc", "alice"), "an empty name");
    assertFalse(register("rb.ui.run.alice/mn:ist/abc", "alice"), "a character names refuse");
    assertFalse(register("rb.ui.run.alice/mnist/" + "r".repeat(129), "alice"), "a name too long");
    assertFalse(register("rb.ui.other.alice/mnist", "alice"), "another kind of address");
    assertFalse(register("runbus.internal", "alice"), "outside the UI's prefix");
    assertFalse(register("rb.ui.run.alicex/mnist/abc", "alice"), "a longer entity name");
  }

  @Test
  void theBrowserSendsAndPublishesNothing() {
    for (BridgeEventType t : new BridgeEventType[] {BridgeEventType.SEND, BridgeEventType.PUBLISH}) {
      assertFalse(BridgeGuard.allows(t, "rb.ui.run.alice/mnist/abc123", "alice"));
    }
    assertTrue(BridgeGuard.allows(BridgeEventType.SOCKET_CREATED, null, "alice"));
    assertTrue(BridgeGuard.allows(BridgeEventType.SOCKET_PING, null, "alice"));
  }
}
