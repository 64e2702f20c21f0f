package dev.runbus.service.bridge;

import dev.runbus.service.ServiceStatus;
import dev.runbus.service.ServiceToken;
import io.vertx.core.json.JsonObject;

/**
 * Decides, before the bridge acts on it, whether a client's frame to {@code rb.bridge.*} goes on:
 * it must carry the service's token ({@code "headers": {"token": …}}) and be a request the service
 * can answer (a {@code send} with a {@code replyAddress} to a served address), or a {@code
 * register} on a non-served address. A frame that passes has its headers replaced by the ones the
 * service sets (the token does not travel the event bus); one that does not gets an error frame
 * saying why. Frames to any other address pass untouched: the bridge's permissions refuse them
 * ({@code access_denied}).
 */
final class FrameGate {

  static final String TOKEN_HEADER = "token";

  /** Which connection a frame came from: the service sets it, a client cannot. */
  static final String CONNECTION_HEADER = "rb-connection";

  private final ServiceToken token;
  private final long requestTimeoutMillis;
  private final long finishTimeoutMillis;

  /**
   * @param requestTimeoutMillis how long the bridge waits for the service's answer to a request
   * @param finishTimeoutMillis the same for {@code finish}, which waits for the log (and, online,
   *     the upload)
   */
  FrameGate(ServiceToken token, long requestTimeoutMillis, long finishTimeoutMillis) {
    this.token = token;
    this.requestTimeoutMillis = requestTimeoutMillis;
    this.finishTimeoutMillis = finishTimeoutMillis;
  }

  /**
   * Checks {@code frame}, rewriting its headers in place when it passes.
   *
   * @return null if the frame passes, else the error frame to answer it with
   */
  JsonObject check(JsonObject frame, String connection) {
    Object addressValue = frame.getValue("address");
    if (!(addressValue instanceof String address) || !BridgeAddresses.underPrefix(address)) {
      return null; // ping, or an address the bridge's permissions refuse
    }
    Object replyValue = frame.getValue("replyAddress");
    String replyAddress = replyValue instanceof String s ? s : null;
    Object headersValue = frame.getValue("headers");
    if (headersValue != null && !(headersValue instanceof JsonObject)) {
      return refusal(
          address, replyAddress, ServiceStatus.INVALID_ARGUMENT,
          "a frame's headers must be a JSON object, as {\"token\": \"…\"}");
    }
    Object presented = headersValue == null ? null : ((JsonObject) headersValue).getValue(TOKEN_HEADER);
    if (presented == null) {
      return refusal(
          address, replyAddress, ServiceStatus.UNAUTHENTICATED,
          "no token: every frame to " + address
              + " must carry the service's token in its headers, {\"token\": \"…\"}");
    }
    if (!(presented instanceof String text) || !token.matches(text)) {
      return refusal(
          address, replyAddress, ServiceStatus.UNAUTHENTICATED,
          "wrong token: the frame to " + address + " carries a token this service does not know"
              + " (it is kept in the service's data directory, file service.token)");
    }
    Object typeValue = frame.getValue("type");
    String type = typeValue instanceof String s ? s : "";
    boolean served = BridgeAddresses.SERVED.contains(address);
    switch (type) {
      case "register", "unregister" -> {
        if (served) {
          return refusal(
              address, replyAddress, ServiceStatus.INVALID_ARGUMENT,
              address + " is where the service listens: a client sends to it, and cannot"
                  + " register on it");
        }
      }
      case "send" -> {
        if (replyAddress == null) {
          return refusal(
              address, null, ServiceStatus.INVALID_ARGUMENT,
              "a send to " + address + " needs a replyAddress: the service answers every frame,"
                  + " with a result or an error");
        }
        if (!served) {
          return refusal(
              address, replyAddress, ServiceStatus.NOT_FOUND,
              address + " is not an address of the service; it serves "
                  + String.join(", ", BridgeAddresses.SERVED));
        }
      }
      default -> {
        return refusal(
            address, replyAddress, ServiceStatus.INVALID_ARGUMENT,
            "a " + type + " to " + address + " cannot be answered: send with a replyAddress");
      }
    }
    // the bridge turns these headers into the message's delivery options and headers
    frame.put(
        "headers",
        new JsonObject()
            .put(CONNECTION_HEADER, connection)
            .put("localOnly", true) // a bridge session's run lives in this JVM, never elsewhere
            .put(
                "timeout",
                BridgeAddresses.FINISH.equals(address) ? finishTimeoutMillis : requestTimeoutMillis));
    return null;
  }

  /** An error frame shaped as the bridge's own ({@code FrameHelper.sendErrFrame}). */
  static JsonObject refusal(
      String address, String replyAddress, ServiceStatus status, String message) {
    JsonObject err = new JsonObject().put("type", "err");
    if (replyAddress != null) {
      err.put("address", replyAddress);
    }
    return err.put("sourceAddress", address)
        .put("failureCode", status.busCode)
        .put("failureType", "RECIPIENT_FAILURE")
        .put("message", message);
  }
}
