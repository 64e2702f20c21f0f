package dev.runbus.system;

import oshi.SystemInfo;

/** One OSHI {@code SystemInfo} per JVM: it caches what it learned of the machine. */
final class Oshi {

  private static volatile SystemInfo system;

  private Oshi() {}

  static SystemInfo system() {
    SystemInfo s = system;
    if (s == null) {
      synchronized (Oshi.class) {
        s = system;
        if (s == null) {
          s = new SystemInfo();
          system = s;
        }
      }
    }
    return s;
  }
}
