package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run id may be used again as soon as finish() returns: the new run waits for the old run's
 * stream to be closed in the kernel instead of racing it there ("already open in this kernel").
 */
@Timeout(120)
class RunIdReuseTest {

  @TempDir Path dir;

  @Test
  void anIdStartsAgainRightAfterItsRunFinished() {
    for (int round = 0; round < 20; round++) {
      String id = "reuse" + round;
      for (String attempt : new String[] {"first", "again"}) {
        // another root each time: the run directory's name (by the second) must not be what clashes
        Settings settings =
            RunLogs.quietOffline(dir.resolve(attempt + round)).runId(id).build();
        Run run = Runbus.init(settings);
        run.log(Map.of("x", 1));
        RunResult result = run.finish();
        assertEquals(1, result.historyRows(), attempt + " run of " + id);
      }
    }
  }
}
