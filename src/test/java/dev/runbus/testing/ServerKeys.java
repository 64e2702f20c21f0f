package dev.runbus.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code runbus server key create|revoke} through the packaged jar, on a server's data directory
 * (SQLite), while the server may be running: a key's id as well as the key, so a test can revoke it.
 */
public final class ServerKeys {
  private static final Pattern ISSUED =
      Pattern.compile("key (\\d+) for user (\\S+)[\\s\\S]*WANDB_API_KEY=([A-Za-z0-9]+)");
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** A key as {@code server key create} prints it. */
  public record Issued(long id, String user, String key) {}

  private ServerKeys() {}

  public static Issued create(Path data, String user) throws Exception {
    String text = run("create", user, "--data", data.toString());
    Matcher m = ISSUED.matcher(text);
    assertTrue(m.find(), "no key in: " + text);
    return new Issued(Long.parseLong(m.group(1)), m.group(2), m.group(3));
  }

  public static void revoke(Path data, long id) throws Exception {
    run("revoke", String.valueOf(id), "--data", data.toString());
  }

  private static String run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("server", "key"));
    command.addAll(List.of(args));
    try (ChildProcess key = ChildProcess.jar(Map.of(), command.toArray(String[]::new))) {
      int code = key.exitCode(WAIT);
      assertEquals(0, code, key.output());
      return String.join("\n", key.stdout());
    }
  }
}
