package dev.runbus.client;

import dev.runbus.RunConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A disabled run's config: checked, kept and read back by the same code as a tracked run's ({@link
 * PipelineConfig}), sent nowhere.
 */
final class LocalConfig implements RunConfig {

  private final DisabledRun run;

  /** Checked copies, as {@link PipelineConfig} keeps them. Guarded by this. */
  private final Map<String, Object> values = new LinkedHashMap<>();

  LocalConfig(DisabledRun run, Map<String, Object> checkedInitial) {
    this.run = run;
    values.putAll(checkedInitial);
  }

  @Override
  public synchronized void set(String key, Object value) {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put(PipelineConfig.checkKey(key), value);
    update(one);
  }

  @Override
  public synchronized void update(Map<String, ?> changes) {
    run.checkOpen("config().update()");
    values.putAll(PipelineConfig.checkedCopy(changes));
  }

  /** Works after finish, as a tracked run's does. */
  @Override
  public synchronized Object get(String key) {
    return PipelineConfig.readBack(values.get(key));
  }

  @Override
  public synchronized Map<String, Object> asMap() {
    return PipelineConfig.readBackAll(values);
  }
}
