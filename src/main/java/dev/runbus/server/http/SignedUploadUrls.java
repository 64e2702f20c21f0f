package dev.runbus.server.http;

import dev.runbus.server.RunFileStorage;
import dev.runbus.server.UploadUrls;
import dev.runbus.server.store.RunInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Upload URLs of the form {@code <base>/files/upload/<run id>?name=<file>&expires=<epoch
 * s>&sig=<hmac>}: W&B's clients {@code PUT} to them without their key, as they do to cloud storage.
 */
public final class SignedUploadUrls implements UploadUrls {

  /** The path prefix; the run's database id (not its W&B storage id) follows. */
  public static final String PATH = "/files/upload/";

  private final UploadSigner signer;
  private final Supplier<String> baseUrl;
  private final Duration ttl;
  private final Clock clock;

  /** {@code baseUrl} is asked each time: the port is known only once the server listens. */
  public SignedUploadUrls(UploadSigner signer, Supplier<String> baseUrl, Duration ttl, Clock clock) {
    this.signer = signer;
    this.baseUrl = baseUrl;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public String uploadUrl(RunInfo run, String fileName) {
    RunFileStorage.checkName(fileName);
    long expires = clock.instant().plus(ttl).getEpochSecond();
    return baseUrl.get()
        + PATH
        + run.id()
        + "?name="
        + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20")
        + "&expires="
        + expires
        + "&sig="
        + signer.sign(run.id(), fileName, expires);
  }
}
