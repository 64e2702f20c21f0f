package dev.runbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.Record;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's steps end at {@code Long.MAX_VALUE}: log() refuses to go past it, nothing is lost. */
class StepLimitTest {

  @TempDir Path dir;

  @Test
  void aRowPastTheLastStepIsRefusedAndTheLogStaysValid() throws Exception {
    Run run = Runbus.init(RunLogs.quietOffline(dir).build());
    run.log(Map.of("a", 1), Long.MAX_VALUE);
    run.log(Map.of("b", 2)); // joins the row at the last step and commits it
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> run.log(Map.of("c", 3)));
    assertTrue(e.getMessage().contains("Long.MAX_VALUE"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> run.log(Map.of("d", 4), Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, run.step());

    RunResult result = run.finish();
    assertEquals(1, result.historyRows());
    List<Record> records = RunLogs.records(result.logFile()); // our own reader accepts it
    List<Map<String, String>> history = RunLogs.history(records);
    assertEquals(1, history.size());
    assertEquals(Long.toString(Long.MAX_VALUE), history.get(0).get("_step"));
    assertEquals("1", history.get(0).get("a"));
    assertEquals("2", history.get(0).get("b"));
  }
}
