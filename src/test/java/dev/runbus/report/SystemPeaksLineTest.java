package dev.runbus.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.system.SystemPeaks;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The report's one line of system peaks: CPU, heap of its limit, the busiest GPU when there is one. */
class SystemPeaksLineTest {

  @Test
  void peaksInOneShortLine() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.ROOT);
    try {
      assertEquals(
          "System peaks: CPU 87.5%, heap 312.0 MiB of 4.0 GiB, GPU 99%.",
          RunReport.systemPeaks(new SystemPeaks(87.5, 312L << 20, 4L << 30, 99)));
      assertEquals(
          "System peaks: CPU 3.0%, heap 20.0 MiB of 1.0 GiB.",
          RunReport.systemPeaks(new SystemPeaks(3, 20L << 20, 1L << 30, Double.NaN)));
      assertEquals(
          "System peaks: heap 20.0 MiB.",
          RunReport.systemPeaks(new SystemPeaks(Double.NaN, 20L << 20, -1, Double.NaN)));
      assertTrue(SystemPeaks.NONE.isEmpty());
    } finally {
      Locale.setDefault(before);
    }
  }
}
