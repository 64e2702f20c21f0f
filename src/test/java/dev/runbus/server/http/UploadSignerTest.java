package dev.runbus.server.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UploadSignerTest {

  private final byte[] secret = new byte[32];
  private final UploadSigner signer = new UploadSigner(secret);

  @Test
  void verifiesOnlyWhatWasSigned() {
    String sig = signer.sign(7, "media/a.png", 1000);
    assertTrue(signer.verify(7, "media/a.png", 1000, sig));
    assertFalse(signer.verify(8, "media/a.png", 1000, sig), "another run");
    assertFalse(signer.verify(7, "media/b.png", 1000, sig), "another file");
    assertFalse(signer.verify(7, "media/a.png", 2000, sig), "a later expiry");
    assertFalse(signer.verify(7, "media/a.png", 1000, sig.substring(1)), "a cut signature");
    assertFalse(signer.verify(7, "media/a.png", 1000, "not base64 !"), "garbage");
  }

  @Test
  void anotherSecretSignsDifferently() {
    byte[] other = Arrays.copyOf(secret, 32);
    other[0] = 1;
    String sig = new UploadSigner(other).sign(7, "a", 1000);
    assertFalse(signer.verify(7, "a", 1000, sig));
  }

  @Test
  void fieldsCannotBeShiftedIntoOneAnother() {
    // "1\n23\nx" must not equal "12\n3\nx": the separator keeps run id and expiry apart
    String sig = signer.sign(1, "x", 23);
    assertFalse(signer.verify(12, "x", 3, sig));
  }
}
