package dev.runbus.writer;

import dev.runbus.json.JsonValues;
import dev.runbus.proto.ConfigItem;
import dev.runbus.proto.ConfigRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's consolidated config, rebuilt from the config records in log order (updates set a key or
 * a nested path, removes delete), as the Writer needs it for {@code files/config.yaml} and the
 * Sender for UpsertBucket's {@code config}: one encoder of the config for both.
 */
public final class ConfigState {

  private final Map<String, Object> values = new LinkedHashMap<>();
  private boolean dirty;

  public void apply(ConfigRecord record) {
    for (ConfigItem item : record.getUpdateList()) {
      set(path(item), JsonValues.parse(item.getValueJson()));
    }
    for (ConfigItem item : record.getRemoveList()) {
      remove(path(item));
    }
    dirty |= record.getUpdateCount() + record.getRemoveCount() > 0;
  }

  private static List<String> path(ConfigItem item) {
    return item.getNestedKeyCount() > 0 ? item.getNestedKeyList() : List.of(item.getKey());
  }

  @SuppressWarnings("unchecked")
  private void set(List<String> path, Object value) {
    Map<String, Object> node = values;
    for (int i = 0; i < path.size() - 1; i++) {
      Object child = node.get(path.get(i));
      if (!(child instanceof Map)) {
        child = new LinkedHashMap<String, Object>();
        node.put(path.get(i), child);
      }
      node = (Map<String, Object>) child;
    }
    node.put(path.get(path.size() - 1), value);
  }

  @SuppressWarnings("unchecked")
  private void remove(List<String> path) {
    Map<String, Object> node = values;
    for (int i = 0; i < path.size() - 1; i++) {
      Object child = node.get(path.get(i));
      if (!(child instanceof Map)) {
        return;
      }
      node = (Map<String, Object>) child;
    }
    node.remove(path.get(path.size() - 1));
  }

  public Map<String, Object> values() {
    return values;
  }

  public boolean dirty() {
    return dirty;
  }

  public void markWritten() {
    dirty = false;
  }
}
