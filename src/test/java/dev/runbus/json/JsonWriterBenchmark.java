package dev.runbus.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A nested value (what a lone row's dict, a config entry or a summary update carries) to its
 * compact JSON text: runbus's {@link JsonWriter} against Jackson's databind writer set up for the
 * same output (bare NaN), per value.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonWriterBenchmark {

  private final JsonMapper jackson =
      JsonMapper.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();
  private Map<String, Object> value;

  @Setup
  public void setUp() {
    value = new LinkedHashMap<>();
    value.put("loss", 0.6931471805599453);
    value.put("acc", 0.8125f);
    value.put("epoch", 3L);
    value.put("lr", List.of(0.001, 0.0005, 0.00025));
    value.put("optimizer", Map.of("name", "adam", "beta1", 0.9, "beta2", 0.999));
    value.put("note", "warm-up done");
    value.put("grad_norm", Double.NaN);
  }

  @Benchmark
  public String runbus() {
    return JsonWriter.toJson(value);
  }

  @Benchmark
  public String jackson() throws JsonProcessingException {
    return jackson.writeValueAsString(value);
  }
}
