package dev.runbus.server.graphql;

import java.util.List;
import java.util.Map;

/**
 * What {@code serverInfo} answers: the optional W&B protocol features this server implements
 * (wandb-core reads them once per run and enables a code path only for a feature listed as
 * enabled; unknown names are ignored), and version information that refuses no client.
 */
final class ServerFeatures {
  private ServerFeatures() {}

  /**
   * Listed features and whether they are on. Only FILESTREAM_GZIP is on: the server inflates
   * {@code Content-Encoding: gzip} request bodies before any handler runs. The others are listed
   * as off to say so plainly: structured console lines would change output.log's line format,
   * server-side metric-glob expansion and long file names are not implemented.
   */
  static final List<Map<String, Object>> FEATURES =
      List.of(
          feature("FILESTREAM_GZIP", true, "FileStream posts may be gzip-compressed"),
          feature("STRUCTURED_CONSOLE_LOGS", false, "output.log lines are stored as sent"),
          feature("EXPAND_DEFINED_METRIC_GLOBS", false, "clients expand metric globs"),
          feature("LARGE_FILENAMES", false, "run file names up to 1,024 characters"));

  static Map<String, Object> serverInfo(String version) {
    return Map.of(
        // No max_cli_version: W&B's client compares its own version with it and complains when
        // newer; runbus serves every client generation it knows.
        "cliVersionInfo", Map.of(),
        "latestLocalVersionInfo",
            Map.of(
                "outOfDate", false,
                "latestVersionString", version,
                "versionOnThisInstanceString", version),
        "features", FEATURES,
        "exposesExplicitRunQueueAckPath", false);
  }

  private static Map<String, Object> feature(String name, boolean enabled, String description) {
    return Map.of("name", name, "isEnabled", enabled, "description", description);
  }
}
