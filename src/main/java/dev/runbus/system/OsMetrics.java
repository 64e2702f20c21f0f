package dev.runbus.system;

import java.util.Map;

/** The machine's and this process's metrics under W&B's names, measured since the last sample. */
interface OsMetrics {

  void sample(Map<String, Double> out);
}
