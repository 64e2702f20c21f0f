package dev.runbus.writer;

import dev.runbus.json.JsonWriter;
import dev.runbus.json.ConfigYaml;
import dev.runbus.proto.SummaryItem;
import dev.runbus.proto.SummaryRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files W&B keeps beside the log in {@code files/}: {@code config.yaml}, {@code
 * wandb-summary.json} and {@code wandb-metadata.json}. Each is replaced whole through a temporary
 * file, so a crash never leaves half a file behind.
 */
final class RunFiles {

  private final Path filesDir;

  RunFiles(Path filesDir) {
    this.filesDir = filesDir;
  }

  /**
   * {@code config.yaml}: every key as {@code {desc: null, value: v}}, plus runbus's {@code _wandb}
   * block.
   */
  void writeConfig(ConfigState config, MetricDictionary metrics, Map<String, Object> wandbBlock)
      throws IOException {
    Map<String, Object> all = new LinkedHashMap<>(config.values());
    Map<String, Object> internal = new LinkedHashMap<>(wandbBlock);
    if (!metrics.isEmpty()) {
      internal.put("m", metrics.entries());
    }
    all.put("_wandb", internal);
    replace("config.yaml", ConfigYaml.configYaml(all));
    config.markWritten();
  }

  /** {@code wandb-summary.json}: the run summary as one JSON object. */
  void writeSummary(SummaryRecord summary) throws IOException {
    StringBuilder json = new StringBuilder(256).append('{');
    boolean first = true;
    for (SummaryItem item : summary.getUpdateList()) {
      if (item.getNestedKeyCount() > 0) {
        continue; // the full summary the Handler emits at exit is keyed at the top level
      }
      if (!first) {
        json.append(", ");
      }
      first = false;
      JsonWriter.appendString(json, item.getKey());
      json.append(": ").append(item.getValueJson());
    }
    replace("wandb-summary.json", json.append('}').toString());
  }

  /** {@code wandb-metadata.json}: where and how the run started. */
  void writeMetadata(Map<String, Object> metadata) throws IOException {
    replace("wandb-metadata.json", JsonWriter.toJson(metadata));
  }

  /** {@code requirements.txt}: the jars the run's program had, one {@code g:a==v} a line. */
  void writeRequirements(java.util.List<String> lines) throws IOException {
    replace("requirements.txt", ClasspathRequirements.text(lines));
  }

  private void replace(String name, String content) throws IOException {
    Path target = filesDir.resolve(name);
    Path temp = filesDir.resolve(name + ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    try {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
