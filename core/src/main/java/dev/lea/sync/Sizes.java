package dev.lea.sync;

import java.util.Locale;

/** Human-readable sizes and durations for progress output. */
final class Sizes {

  private Sizes() {}

  static String format(long bytes) {
    if (bytes < 0) {
      return "unknown size";
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
