package dev.lea;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What {@code lea:benchmark} measured: the store's raw floor (one plain put of the catalog file and
 * one get back to a file) and one round trip per transport, all of the same {@code catalogBytes}.
 *
 * @param source where the catalog's bytes came from, for the table's heading
 * @param location the scratch prefix the objects were written under (deleted afterwards)
 */
public record BenchmarkResult(
    String source, String location, long catalogBytes, Row floor, List<Row> rows) {

  /**
   * Transports whose round trip is within this fraction of the fastest count as equally fast, so
   * the recommendation among them is the one that stores the fewest bytes.
   */
  public static final double FAST_ENOUGH = 0.10;

  public BenchmarkResult {
    rows = List.copyOf(rows);
  }

  /** One measured round trip. */
  public record Row(
      String transport, String compression, Duration upload, Duration download, long storedBytes) {

    public Duration roundTrip() {
      return upload.plus(download);
    }

    /** The transport and compression as the settings that choose them. */
    public String settings() {
      return "lea.ducklake.transport=" + transport + " lea.ducklake.compression=" + compression;
    }

    String label() {
      return compression.isEmpty() ? transport : transport + " (" + compression + ")";
    }
  }

  /** Catalog bytes moved per second over the whole round trip (up and down). */
  public double mibPerSecond(Row row) {
    double seconds = row.roundTrip().toNanos() / 1e9;
    return seconds <= 0 ? Double.POSITIVE_INFINITY : 2.0 * catalogBytes / (1 << 20) / seconds;
  }

  /** The row's round trip divided by the floor's. */
  public double ratioToFloor(Row row) {
    return (double) row.roundTrip().toNanos() / Math.max(1, floor.roundTrip().toNanos());
  }

  /** Of the transports within {@link #FAST_ENOUGH} of the fastest round trip, the smallest. */
  public Row recommended() {
    Duration fastest = rows.stream().map(Row::roundTrip).min(Comparator.naturalOrder())
        .orElseThrow();
    long limit = (long) (fastest.toNanos() * (1 + FAST_ENOUGH));
    return rows.stream().filter(r -> r.roundTrip().toNanos() <= limit)
        .min(Comparator.comparingLong(Row::storedBytes).thenComparing(Row::roundTrip))
        .orElseThrow();
  }

  /** The transport that stores the fewest bytes, for slow or metered links. */
  public Row smallest() {
    return rows.stream()
        .min(Comparator.comparingLong(Row::storedBytes).thenComparing(Row::roundTrip))
        .orElseThrow();
  }

  /** The one-line recommendation, with its rule. */
  public String recommendation() {
    Row best = recommended();
    Row smallest = smallest();
    String line = "Recommended: " + best.settings() + " (of the transports within "
        + Math.round(FAST_ENOUGH * 100) + "% of the fastest round trip, the one storing the fewest"
        + " bytes)";
    return smallest.equals(best) ? line + "."
        : line + "; on a slow or metered link: " + smallest.settings() + " (fewest bytes).";
  }

  /** The table as printed, one line each, then the recommendation. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("Benchmark of " + source + " (" + String.format(Locale.ROOT, "%.1f MiB",
        catalogBytes / (double) (1 << 20)) + ") under " + location + ":");
    lines.add(String.format(Locale.ROOT, "  %-28s %9s %11s %14s %8s %8s", "transport", "upload s",
        "download s", "bytes stored", "MiB/s", "x floor"));
    lines.add(format(new Row("raw put/get (floor)", "", floor.upload(), floor.download(),
        floor.storedBytes())));
    rows.forEach(row -> lines.add(format(row)));
    lines.add(recommendation());
    return lines;
  }

  private String format(Row row) {
    return String.format(Locale.ROOT, "  %-28s %9.3f %11.3f %14d %8.1f %8.2f", row.label(),
        row.upload().toNanos() / 1e9, row.download().toNanos() / 1e9, row.storedBytes(),
        mibPerSecond(row), ratioToFloor(row));
  }
}
