package dev.runbus.service.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.service.ServiceToken;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The bridge's gate, without a socket: what passes, what is refused and why. */
class FrameGateTest {

  private final FrameGate gate = new FrameGate(ServiceToken.of("s3cret"), 1000, 9000);

  private static JsonObject send(String address, String token) {
    JsonObject frame =
        new JsonObject()
            .put("type", "send")
            .put("address", address)
            .put("replyAddress", "r1")
            .put("body", new JsonObject());
    if (token != null) {
      frame.put("headers", new JsonObject().put("token", token).put("rb-connection", "forged"));
    }
    return frame;
  }

  @Test
  void aRequestWithTheTokenPassesWithTheServicesHeadersOnly() {
    JsonObject frame = send(BridgeAddresses.LOG, "s3cret");
    assertNull(gate.check(frame, "c7"));
    JsonObject headers = frame.getJsonObject("headers");
    assertEquals("c7", headers.getString(FrameGate.CONNECTION_HEADER)); // not the client's
    assertNull(headers.getValue(FrameGate.TOKEN_HEADER)); // the token stays out of the bus
    assertEquals(true, headers.getBoolean("localOnly"));
    assertEquals(1000L, headers.getLong("timeout"));
    JsonObject finish = send(BridgeAddresses.FINISH, "s3cret");
    assertNull(gate.check(finish, "c7"));
    assertEquals(9000L, finish.getJsonObject("headers").getLong("timeout"));
  }

  @Test
  void noTokenOrAWrongOneIsRefusedSayingSo() {
    JsonObject none = gate.check(send(BridgeAddresses.INIT, null), "c1");
    assertEquals(401, none.getInteger("failureCode"));
    assertEquals("r1", none.getString("address"));
    assertTrue(none.getString("message").startsWith("no token"), none.encode());
    JsonObject wrong = gate.check(send(BridgeAddresses.INIT, "guess"), "c1");
    assertEquals(401, wrong.getInteger("failureCode"));
    assertTrue(wrong.getString("message").startsWith("wrong token"), wrong.encode());
    JsonObject notText =
        gate.check(send(BridgeAddresses.INIT, null).put("headers", new JsonObject().put("token", 7)), "c1");
    assertEquals(401, notText.getInteger("failureCode"));
  }

  @Test
  void framesThatCouldNotBeAnsweredAreRefused() {
    JsonObject publish = send(BridgeAddresses.LOG, "s3cret").put("type", "publish");
    assertEquals(400, gate.check(publish, "c1").getInteger("failureCode"));
    JsonObject noReply = send(BridgeAddresses.LOG, "s3cret");
    noReply.remove("replyAddress");
    JsonObject refused = gate.check(noReply, "c1");
    assertTrue(refused.getString("message").contains("needs a replyAddress"), refused.encode());
    JsonObject unknown = gate.check(send("rb.bridge.nosuch", "s3cret"), "c1");
    assertEquals(404, unknown.getInteger("failureCode"));
  }

  @Test
  void registeringOnAServedAddressIsRefusedAndElsewhereUnderThePrefixPasses() {
    JsonObject onLog = send(BridgeAddresses.LOG, "s3cret").put("type", "register");
    assertEquals(400, gate.check(onLog, "c1").getInteger("failureCode"));
    JsonObject events = send("rb.bridge.events.x", "s3cret").put("type", "register");
    assertNull(gate.check(events, "c1"));
    JsonObject eventsNoToken = send("rb.bridge.events.x", null).put("type", "register");
    assertEquals(401, gate.check(eventsNoToken, "c1").getInteger("failureCode"));
  }

  @Test
  void framesOutsideThePrefixAreLeftToTheBridgesPermissions() {
    JsonObject kernel = send("rb.kernel.runs", null);
    assertNull(gate.check(kernel, "c1"));
    assertNull(kernel.getValue("headers")); // untouched: the bridge answers access_denied
    assertNull(gate.check(new JsonObject().put("type", "ping"), "c1"));
  }
}
