package dev.runbus.kernel;

import dev.runbus.json.JsonValues;
import dev.runbus.json.JsonWriter;
import dev.runbus.json.ConfigYaml;
import dev.runbus.proto.FinishResponse;
import dev.runbus.proto.GetSummaryResponse;
import dev.runbus.proto.KernelRequest;
import dev.runbus.proto.PollExitResponse;
import dev.runbus.proto.SampledHistoryResponse;
import java.util.List;
import java.util.Map;

/**
 * Loads, off the caller's path, what finishing a run needs the first time: the JSON parser, the
 * YAML writer, the finish messages and the report. Class loading is most of a cold finish(); done
 * here, while the run is live and the kernel otherwise idle, it is not on anyone's clock.
 */
final class Warmup {

  private static final List<String> CLASSES =
      List.of(
          "dev.runbus.report.RunReport",
          "dev.runbus.report.Sparklines",
          "dev.runbus.client.SampledHistory",
          "dev.runbus.client.FinishProgress",
          "java.math.BigDecimal");

  private Warmup() {}

  static void finishPath() {
    try {
      JsonValues.parse("{\"a\": [1, 2.5, \"x\", true, null, NaN, {\"b\": -Infinity}]}");
      ConfigYaml.configYaml(Map.of("k", Map.of("v", List.of(1, 2.5, "x"))));
      JsonWriter.toJson(Map.of("a", List.of(1.5f, 2L)));
      FinishResponse.getDefaultInstance();
      GetSummaryResponse.getDefaultInstance();
      SampledHistoryResponse.getDefaultInstance();
      PollExitResponse.getDefaultInstance();
      KernelRequest.getDefaultInstance();
      ClassLoader loader = Warmup.class.getClassLoader();
      for (String name : CLASSES) {
        Class.forName(name, true, loader);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // only an optimisation: the real finish loads whatever is missing
    }
  }
}
