package dev.runbus.system;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses what {@code nvidia-smi --query-gpu=<}{@link #QUERY}{@code > --format=csv,noheader,nounits}
 * prints: one line per GPU, fields separated by ", ". A line that does not have every field is
 * skipped rather than guessed at.
 */
public final class NvidiaSmiOutput {

  /** The fields asked for, in this order. */
  public static final String QUERY =
      "index,name,utilization.gpu,utilization.memory,memory.used,memory.total,"
          + "temperature.gpu,power.draw,power.limit";

  private static final int FIELDS = 9;

  private NvidiaSmiOutput() {}

  public static List<GpuReading> parse(String output) {
    List<GpuReading> gpus = new ArrayList<>();
    for (String line : output.split("\\R")) {
      String[] f = line.split(",");
      if (f.length != FIELDS) {
        continue; // a GPU name with a comma, a warning line: not a reading we can trust
      }
      int index;
      try {
        index = Integer.parseInt(f[0].trim());
      } catch (NumberFormatException e) {
        continue;
      }
      gpus.add(
          new GpuReading(
              index,
              f[1].trim(),
              number(f[2]),
              number(f[3]),
              number(f[4]),
              number(f[5]),
              number(f[6]),
              number(f[7]),
              number(f[8])));
    }
    return gpus;
  }

  /** A field's number, or NaN for {@code [N/A]}, {@code [Not Supported]} or anything else. */
  static double number(String field) {
    try {
      return Double.parseDouble(field.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
