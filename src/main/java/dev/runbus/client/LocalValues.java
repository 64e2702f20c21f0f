package dev.runbus.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checked copies kept in memory and read back as the caller set them: a disabled run's config and
 * summary.
 */
abstract class LocalValues {

  /** Guarded by this. */
  final Map<String, Object> values = new LinkedHashMap<>();

  public synchronized Object get(String key) {
    return PipelineConfig.readBack(values.get(key));
  }

  public synchronized Map<String, Object> asMap() {
    return PipelineConfig.readBackAll(values);
  }
}
