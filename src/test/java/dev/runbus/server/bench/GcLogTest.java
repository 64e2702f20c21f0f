package dev.runbus.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogTest {

  @Test
  void peaksComeFromEveryPauseLine(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("gc.log");
    Files.writeString(
        log,
        "[0.011s][info][gc] Using G1\n"
            + "[1.204s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->6M(256M) 4.1ms\n"
            + "[2.310s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 131M->48M(256M) 9.9ms\n"
            + "[3.002s][info][gc] GC(2) Pause Young (Concurrent Start) (G1 Humongous Allocation)"
            + " 97M->21M(200M) 2.0ms\n"
            + "[3.100s][info][gc] GC(3) Concurrent Mark Cycle 12.345ms\n");

    GcLog.Heap heap = GcLog.read(log);

    assertEquals(3, heap.collections());
    assertEquals(48, heap.peakAfterGcMb());
    assertEquals(131, heap.peakBeforeGcMb());
    assertEquals(256, heap.maxCommittedMb());
  }

  @Test
  void noLogIsNoCollection(@TempDir Path dir) {
    assertEquals(new GcLog.Heap(0, 0, 0, 0), GcLog.read(dir.resolve("absent.log")));
  }
}
