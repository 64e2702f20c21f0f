package dev.runbus.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** runbus's own version, as the build stamped it. */
public final class Version {

  public static final String VERSION = read();

  private Version() {}

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("/dev/runbus/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
