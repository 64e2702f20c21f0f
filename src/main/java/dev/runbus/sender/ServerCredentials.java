package dev.runbus.sender;

import dev.runbus.RunbusException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a run's server is and the key it logs with, found as W&B's clients find them: the base URL
 * from the settings or {@code WANDB_BASE_URL}; the key from the settings, {@code WANDB_API_KEY},
 * or the {@code .netrc} entry of the base URL's host ({@code $NETRC}, else {@code ~/.netrc}), whose
 * password is the key. Values set in code win over the environment, as everywhere in runbus.
 *
 * @param source where the key came from, for messages ("WANDB_API_KEY", "~/.netrc", "Settings")
 */
public record ServerCredentials(URI baseUrl, String apiKey, String source) {

  /**
   * The credentials, or empty when no base URL or no key is known (a run then stays offline).
   *
   * @throws RunbusException when a base URL is set but is not an http(s) URL with a host
   */
  public static Optional<ServerCredentials> resolve(
      String settingsBaseUrl, String settingsApiKey, Map<String, String> env, Path home) {
    String base = firstSet(settingsBaseUrl, env.get("WANDB_BASE_URL"));
    if (base == null) {
      return Optional.empty();
    }
    URI url = baseUrl(base, settingsBaseUrl != null ? "Settings.baseUrl" : "WANDB_BASE_URL");
    if (isSet(settingsApiKey)) {
      return Optional.of(new ServerCredentials(url, settingsApiKey.strip(), "Settings"));
    }
    if (isSet(env.get("WANDB_API_KEY"))) {
      return Optional.of(new ServerCredentials(url, env.get("WANDB_API_KEY").strip(), "WANDB_API_KEY"));
    }
    Path netrc = isSet(env.get("NETRC")) ? Path.of(env.get("NETRC")) : home.resolve(".netrc");
    return netrcKey(netrc, url).map(key -> new ServerCredentials(url, key, netrc.toString()));
  }

  /** HTTP Basic with user {@code api}, as W&B's servers expect. */
  public String authorization() {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
  }

  /** Never the key itself: credentials end up in messages and logs. */
  @Override
  public String toString() {
    return "ServerCredentials[" + baseUrl + ", key from " + source + "]";
  }

  private static Optional<String> netrcKey(Path file, URI url) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RunbusException("cannot read " + file + " for the API key: " + e.getMessage(), e);
    }
    Netrc netrc = Netrc.parse(text);
    // `wandb login` names the machine with its port when the URL has one
    String hostAndPort = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    return netrc
        .machine(hostAndPort)
        .or(() -> netrc.machine(url.getHost()))
        .or(netrc::defaultEntry)
        .map(Netrc.Entry::password)
        .filter(ServerCredentials::isSet);
  }

  private static URI baseUrl(String text, String source) {
    URI url;
    try {
      url = URI.create(text.strip());
    } catch (IllegalArgumentException e) {
      throw new RunbusException(source + " is not a URL: " + text);
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new RunbusException(source + " must be an http(s) URL with a host, not: " + text);
    }
    return url;
  }

  private static String firstSet(String a, String b) {
    return isSet(a) ? a : isSet(b) ? b : null;
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
