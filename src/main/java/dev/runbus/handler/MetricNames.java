package dev.runbus.handler;

import java.util.List;

/**
 * Metric names are dotted paths into nested history values; a literal dot inside one key is escaped
 * as {@code \.} (§1.8, §2.4). History keys themselves are never escaped.
 */
final class MetricNames {
  private MetricNames() {}

  /** The metric name that refers to a top-level history key. */
  static String escape(String key) {
    return key.indexOf('.') < 0 ? key : key.replace(".", "\\.");
  }

  /** The metric name that refers to a nested path of history keys. */
  static String of(List<String> path) {
    StringBuilder name = new StringBuilder();
    for (String key : path) {
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(escape(key));
    }
    return name.toString();
  }

  /** A child path's metric name. */
  static String child(String parentName, String key) {
    return parentName + '.' + escape(key);
  }

  /** The top-level history key a metric name starts with (up to the first unescaped dot). */
  static String topLevelKey(String name) {
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\' && i + 1 < name.length() && name.charAt(i + 1) == '.') {
        key.append('.');
        i++;
      } else if (c == '.') {
        break;
      } else {
        key.append(c);
      }
    }
    return key.toString();
  }

  /** True when the name has an unescaped dot, i.e. it refers below a top-level key. */
  static boolean isNested(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\' && i + 1 < name.length() && name.charAt(i + 1) == '.') {
        i++;
      } else if (c == '.') {
        return true;
      }
    }
    return false;
  }
}
