package dev.runbus.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.runbus.json.JsonWriter;
import dev.runbus.system.NvidiaSmiOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GPU facts in wandb-metadata.json, as W&B names them, from nvidia-smi's output; none without. */
class RunMetadataGpuTest {

  @Test
  void gpusAreNamedCountedAndListedWithTheirMemory() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    RunMetadata.gpus(
        m,
        NvidiaSmiOutput.parse(Files.readString(Path.of("src/test/resources/nvidia-smi/query-gpu.csv"))));
    assertEquals("NVIDIA A100-SXM4-80GB", m.get("gpu"));
    assertEquals(3, m.get("gpu_count"));
    assertEquals(
        "[{\"name\":\"NVIDIA A100-SXM4-80GB\",\"memory_total\":85899345920},"
            + "{\"name\":\"NVIDIA A100-SXM4-80GB\",\"memory_total\":85899345920},"
            + "{\"name\":\"NVIDIA GeForce GTX 1650\",\"memory_total\":4294967296}]",
        JsonWriter.toJson(m.get("gpu_devices")));
  }

  @Test
  void noGpuNoKeys() {
    Map<String, Object> m = new LinkedHashMap<>();
    RunMetadata.gpus(m, List.of());
    assertFalse(m.containsKey("gpu") || m.containsKey("gpu_count") || m.containsKey("gpu_devices"));
    // this machine has no nvidia-smi: the whole description has none either
    Map<String, Object> described =
        RunMetadata.describe(0, "prog", List.of(), Path.of("."), "runbus test");
    assertFalse(described.containsKey("gpu_count"), described.toString());
  }
}
