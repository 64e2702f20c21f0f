package dev.runbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.testing.ReadApiClient;
import dev.runbus.testing.ServerProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --online} with nothing configured, as a new user first runs it: it starts a server of
 * its own, logs the run to it, says where the run lives, and leaves the server's data behind, where
 * a server started on it finds the whole run.
 */
class DemoOnlineJarIT {

  private static final Pattern READ_API =
      Pattern.compile("read API: (http://127\\.0\\.0\\.1:\\d+)/api/v1/entities/([^/]+)/projects/([^/]+)/runs/(\\S+)");
  private static final Pattern DATA = Pattern.compile("its data stays in (\\S+)\\. ");
  private static final Pattern KEY = Pattern.compile("WANDB_API_KEY=([A-Za-z0-9]+)");

  @TempDir Path dir;

  @Test
  void theOnlineDemoNeedsNoSetUpAndItsRunIsOnTheServerRowByRow() throws Exception {
    RunbusJar.Result demo = RunbusJar.in(dir).run("demo", "--online", "--steps", "50", "--dir", "out");
    assertEquals(0, demo.code(), demo.toString());
    String out = demo.stdout();
    assertTrue(demo.stderr().contains("online run "), demo.toString());
    assertTrue(demo.stderr().contains("View run "), demo.toString());
    Matcher api = READ_API.matcher(out);
    Matcher data = DATA.matcher(out);
    Matcher key = KEY.matcher(out);
    assertTrue(api.find() && data.find() && key.find(), out);

    try (ServerProcess server = ServerProcess.start(Path.of(data.group(1)), null)) {
      ReadApiClient read =
          new ReadApiClient(server.url(), key.group(1), api.group(2), api.group(3), api.group(4));
      JsonObject run = read.run();
      assertEquals("finished", run.getString("state"), run.encode());
      assertEquals(50, read.historyLineCount(), run.encode());
      long[] step = {0};
      read.history(
          "_step",
          row -> assertEquals(step[0]++, row.getLong("_step").longValue(), row.encode()));
      assertEquals(50, step[0]);
      assertTrue(read.file("config.yaml").contains("logistic-regression"));
    }
  }
}
