package dev.runbus.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which Vert.x's blocked-thread checker spoke: an event loop held for seconds
 * (JDBC, a file, a sleep on the wrong thread) is a bug even when the test's assertions pass.
 * Registered for every test by JUnit's extension auto-detection (see junit-platform.properties).
 */
public final class BlockedThreadWatch implements BeforeEachCallback, AfterEachCallback {
  // the name Vert.x 5 logs the checker's warnings under; kept referenced so the JUL logger, and the
  // handler on it, live as long as the test JVM
  private static final Logger CHECKER = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
  private static final List<String> WARNINGS = new ArrayList<>();

  static {
    CHECKER.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            synchronized (WARNINGS) {
              WARNINGS.add(record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    synchronized (WARNINGS) {
      WARNINGS.clear();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> seen;
    synchronized (WARNINGS) {
      seen = new ArrayList<>(WARNINGS);
      WARNINGS.clear();
    }
    if (!seen.isEmpty()) {
      throw new AssertionError(
          "Vert.x's blocked-thread checker warned during this test: " + seen.get(0));
    }
  }
}
