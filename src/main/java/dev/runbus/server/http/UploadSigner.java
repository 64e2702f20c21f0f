package dev.runbus.server.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks what an upload URL grants: one file name of one run until a moment. HMAC-SHA256
 * over the three, so none can be changed without the server's secret.
 */
public final class UploadSigner {

  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec key;

  public UploadSigner(byte[] secret) {
    this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
  }

  /** URL-safe base64, no padding. */
  public String sign(long runId, String name, long expiresEpochSeconds) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(mac(runId, name, expiresEpochSeconds));
  }

  /** True when {@code signature} is this server's for exactly these three values. */
  public boolean verify(long runId, String name, long expiresEpochSeconds, String signature) {
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(signature);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    // constant time: how much of a guess matched must not show in the answer's timing
    return MessageDigest.isEqual(given, mac(runId, name, expiresEpochSeconds));
  }

  private byte[] mac(long runId, String name, long expiresEpochSeconds) {
    // the numbers first, each ended by a newline they cannot hold: whatever the name holds, no
    // two grants share a payload
    String payload = runId + "\n" + expiresEpochSeconds + "\n" + name;
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
