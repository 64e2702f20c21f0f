package dev.runbus.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.RunbusException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCredentialsTest {
  private static final String KEY = "a".repeat(40);

  @TempDir Path home;

  @Test
  void noBaseUrlMeansOffline() {
    assertTrue(ServerCredentials.resolve(null, KEY, Map.of("WANDB_API_KEY", KEY), home).isEmpty());
  }

  @Test
  void aBaseUrlWithoutAnyKeyMeansOffline() {
    assertTrue(
        ServerCredentials.resolve(null, null, Map.of("WANDB_BASE_URL", "http://h:8080"), home)
            .isEmpty());
  }

  @Test
  void settingsWinOverTheEnvironmentWhichWinsOverNetrc() throws Exception {
    Files.writeString(home.resolve(".netrc"), "machine h:8080 login user password " + "n".repeat(40));
    Map<String, String> env = Map.of("WANDB_BASE_URL", "http://h:8080", "WANDB_API_KEY", "e".repeat(40));

    var fromSettings = ServerCredentials.resolve("http://s:1", "s".repeat(40), env, home).orElseThrow();
    assertEquals("http://s:1", fromSettings.baseUrl().toString());
    assertEquals("s".repeat(40), fromSettings.apiKey());

    var fromEnv = ServerCredentials.resolve(null, null, env, home).orElseThrow();
    assertEquals("e".repeat(40), fromEnv.apiKey());
    assertEquals("WANDB_API_KEY", fromEnv.source());

    var fromNetrc =
        ServerCredentials.resolve(null, null, Map.of("WANDB_BASE_URL", "http://h:8080"), home)
            .orElseThrow();
    assertEquals("n".repeat(40), fromNetrc.apiKey());
  }

  @Test
  void netrcIsFoundByHostAndPortThenHostThenDefaultAndNetrcNamesAnotherFile() throws Exception {
    Path other = home.resolve("elsewhere");
    Files.writeString(
        other,
        "# written by wandb login\n"
            + "machine api.example.com\n  login user\n  password " + "h".repeat(40) + "\n"
            + "macdef init\n  cd /tmp\n  password notakey\n\n"
            + "default login anyone password " + "d".repeat(40) + "\n");
    Map<String, String> env = Map.of("NETRC", other.toString(), "WANDB_BASE_URL", "https://api.example.com:443");
    assertEquals("h".repeat(40), ServerCredentials.resolve(null, null, env, home).orElseThrow().apiKey());
    Map<String, String> unknown = Map.of("NETRC", other.toString(), "WANDB_BASE_URL", "http://other:9");
    assertEquals("d".repeat(40), ServerCredentials.resolve(null, null, unknown, home).orElseThrow().apiKey());
  }

  @Test
  void aBaseUrlThatIsNotHttpIsNamedInTheError() {
    RunbusException e =
        assertThrows(
            RunbusException.class,
            () -> ServerCredentials.resolve(null, KEY, Map.of("WANDB_BASE_URL", "ftp://x"), home));
    assertTrue(e.getMessage().contains("WANDB_BASE_URL"), e.getMessage());
  }

  @Test
  void theKeyIsBasicAuthForUserApiAndNeverPrinted() {
    var credentials = ServerCredentials.resolve("http://h:1", KEY, Map.of(), home).orElseThrow();
    assertEquals(
        "Basic " + java.util.Base64.getEncoder().encodeToString(("api:" + KEY).getBytes()),
        credentials.authorization());
    assertFalse(credentials.toString().contains(KEY), credentials.toString());
  }
}
