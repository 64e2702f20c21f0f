package dev.runbus.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPUs through nvidia-smi: the parser on output in nvidia-smi's own CSV form (no GPU on the build
 * machines), the runner against a stand-in executable that prints it, and absence.
 */
class NvidiaSmiTest {

  private static final Path RECORDED = Path.of("src/test/resources/nvidia-smi/query-gpu.csv");

  @TempDir Path dir;

  @Test
  void parsesEveryGpuAndSkipsWhatItDoesNotReport() throws Exception {
    List<GpuReading> gpus = NvidiaSmiOutput.parse(Files.readString(RECORDED));
    assertEquals(3, gpus.size());
    GpuReading a100 = gpus.get(0);
    assertEquals("NVIDIA A100-SXM4-80GB", a100.name());
    assertEquals(81920L * 1024 * 1024, a100.memoryTotalBytes());

    Map<String, Double> m = a100.metrics();
    assertEquals(97.0, m.get("gpu.0.gpu"));
    assertEquals(41.0, m.get("gpu.0.memory"));
    assertEquals(61234.0 / 81920 * 100, m.get("gpu.0.memoryAllocated"), 1e-9);
    assertEquals(61234.0 * 1024 * 1024, m.get("gpu.0.memoryAllocatedBytes"));
    assertEquals(64.0, m.get("gpu.0.temp"));
    assertEquals(312.45, m.get("gpu.0.powerWatts"));
    assertEquals(312.45 / 400 * 100, m.get("gpu.0.powerPercent"), 1e-9);

    Map<String, Double> laptop = gpus.get(2).metrics();
    assertEquals(12.0, laptop.get("gpu.2.gpu"));
    assertFalse(laptop.containsKey("gpu.2.powerWatts"), "[N/A] gives no key: " + laptop);
    assertFalse(laptop.containsKey("gpu.2.powerPercent"), laptop.toString());
  }

  @Test
  void linesThatAreNotReadingsAreSkipped() {
    assertEquals(List.of(), NvidiaSmiOutput.parse(""));
    assertEquals(
        List.of(),
        NvidiaSmiOutput.parse(
            "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"));
  }

  @Test
  void runsTheExecutableAndParsesWhatItPrints() throws Exception {
    Path fake = dir.resolve("nvidia-smi");
    Files.writeString(fake, "#!/bin/sh\ncat '" + RECORDED.toAbsolutePath() + "'\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    assertEquals(fake, NvidiaSmi.find("/nonexistent:" + dir).orElseThrow());

    NvidiaSmi smi = new NvidiaSmi(fake);
    List<GpuReading> gpus = smi.read();
    assertEquals(3, gpus.size());
    assertEquals("NVIDIA GeForce GTX 1650", smi.devices().get(2).name());

    SystemSampler sampler = new SystemSampler(smi);
    Map<String, Double> sample = sampler.sample();
    assertEquals(97.0, sample.get("gpu.0.gpu"), "GPU keys join the sample");
    assertEquals(97.0, sampler.peaks().gpuPercent(), "the busiest GPU's peak");
  }

  @Test
  void aFailingExecutableGivesNoKeysAndNoError() throws Exception {
    Path broken = dir.resolve("nvidia-smi");
    Files.writeString(broken, "#!/bin/sh\necho 'driver not loaded' >&2\nexit 9\n");
    Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
    NvidiaSmi smi = new NvidiaSmi(broken);
    for (int i = 0; i < 5; i++) {
      assertEquals(List.of(), smi.read());
    }
    Map<String, Double> sample = new SystemSampler(smi).sample();
    assertTrue(sample.keySet().stream().noneMatch(k -> k.startsWith("gpu.")), sample.toString());
  }

  @Test
  void noExecutableOnThePathNoGpu() {
    assertTrue(NvidiaSmi.find("/nonexistent:" + dir).isEmpty());
    assertTrue(NvidiaSmi.find(null).isEmpty());
    Map<String, Double> sample = new SystemSampler(null).sample();
    assertTrue(sample.keySet().stream().noneMatch(k -> k.startsWith("gpu.")), sample.toString());
    assertTrue(Double.isNaN(new SystemSampler(null).peaks().gpuPercent()));
  }
}
