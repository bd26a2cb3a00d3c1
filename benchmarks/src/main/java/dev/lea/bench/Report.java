package dev.lea.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Turns a JMH JSON result file into the results section of {@code benchmarks.md} (tables with
 * every result as a ratio to its floor, and the targets met or missed) and PNG bar charts
 * under {@code benchmarks/} next to it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.lea.bench.Report <results.json>... <docs-dir>};
 * several result files (e.g. one JMH run per store) are reported together.
 */
public final class Report {

  static final String START = "<!-- lea-bench:results:start -->";
  static final String END = "<!-- lea-bench:results:end -->";

  /** Issue 16's target for a cached session; round-trip targets are per store. */
  static final double ATTACH_MAX_OVERHEAD_MS = 25;

  private static final String ATTACH = "dev.lea.bench.AttachBenchmark.attach";

  static final String ROUND_TRIP = "dev.lea.bench.RoundTripBenchmark.roundTrip";
  static final String FLOOR = "dev.lea.bench.FloorBenchmark.floor";

  /**
   * Result files written before the store became a parameter named one benchmark per store: the
   * benchmark each name is now and its store. A round trip with no store was on {@code file:}.
   */
  private static final Map<String, List<String>> PER_STORE = Map.of(
      "dev.lea.bench.CopyFloorBenchmark.filesCopyTwice", List.of(FLOOR, "file"),
      "dev.lea.bench.S3RoundTripBenchmark.roundTrip", List.of(ROUND_TRIP, "s3"),
      "dev.lea.bench.S3FloorBenchmark.sdkPutGet", List.of(FLOOR, "s3"),
      "dev.lea.bench.GcsRoundTripBenchmark.roundTrip", List.of(ROUND_TRIP, "gcs"),
      "dev.lea.bench.GcsFloorBenchmark.clientUploadDownload", List.of(FLOOR, "gcs"));

  /**
   * A store whose round trips are measured against a floor: the same bytes moved there and back
   * by the simplest code that can do it.
   *
   * @param name the benchmarks' {@code store} parameter, e.g. {@code s3}
   * @param title how the section heading names the store
   * @param floorName what the floor is, in the target's sentence
   * @param floorLabel the floor's row in the table and chart
   * @param floorColumn the heading of the ratio column
   * @param maxRatio issue 16's target for object-copy, at every size, as a multiple of the floor,
   *     if it sets one for this store
   * @param chartPrefix the charts' file names start with this
   */
  record Store(String name, String title, String floorName, String floorLabel,
      String floorColumn, OptionalDouble maxRatio, String chartPrefix) {}

  static final List<Store> STORES = List.of(
      new Store("file", "`file:`", "Files.copy + fsync", "Files.copy + fsync, Files.copy (floor)",
          "× Files.copy floor", OptionalDouble.of(1.3), "round-trip-"),
      new Store("s3", "`s3:` (S3Proxy in the benchmark's JVM)", "raw SDK put + get",
          "SDK put + get (floor)", "× SDK floor", OptionalDouble.of(1.1), "round-trip-s3-"),
      new Store("gcs", "`gs:` (fake GCS JSON API in the benchmark's JVM)",
          "raw client upload + download", "client createFrom + downloadTo (floor)",
          "× client floor", OptionalDouble.empty(), "round-trip-gcs-"));

  record Result(String benchmark, Map<String, String> params, double score, double error,
      String unit) {
    String param(String name) {
      return params.getOrDefault(name, "");
    }
  }

  private Report() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("Cannot write the benchmark report: expected <results.json>..."
          + " <docs-dir>, e.g. benchmarks/results/quick.json docs/");
      System.exit(2);
    }
    System.setProperty("java.awt.headless", "true");
    List<Path> json = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < args.length - 1; i++) {
      json.add(Path.of(args[i]));
      results.addAll(read(json.get(i)));
    }
    Path docs = Path.of(args[args.length - 1]);
    Path images = docs.resolve("benchmarks");
    Files.createDirectories(images);
    List<String> charts = charts(results, images);
    Path doc = docs.resolve("benchmarks.md");
    String section = markdown(results, charts, json);
    Files.writeString(doc, splice(Files.readString(doc, StandardCharsets.UTF_8), section, doc),
        StandardCharsets.UTF_8);
    System.out.println("Wrote " + doc + " and " + charts.size() + " charts in " + images);
  }

  static List<Result> read(Path json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    if (root == null || !root.isArray()) {
      throw new IOException("Cannot read " + json + ": it is not a JMH JSON result array;"
          + " run JMH with -rf json -rff " + json + ".");
    }
    List<Result> results = new ArrayList<>();
    for (JsonNode node : root) {
      Map<String, String> params = new TreeMap<>();
      for (var param : node.path("params").properties()) {
        params.put(param.getKey(), param.getValue().asText());
      }
      JsonNode metric = node.path("primaryMetric");
      double error = metric.path("scoreError").asDouble(Double.NaN);
      String benchmark = node.path("benchmark").asText();
      List<String> renamed = PER_STORE.get(benchmark);
      if (renamed != null) {
        benchmark = renamed.get(0);
        params.put("store", renamed.get(1));
      } else if (benchmark.equals(ROUND_TRIP)) {
        params.putIfAbsent("store", "file");
      }
      results.add(new Result(benchmark, params,
          metric.path("score").asDouble(), error, metric.path("scoreUnit").asText()));
    }
    return results;
  }

  /** The floor of the same store, size and content for a round trip; local for an attach. */
  static Optional<Result> floor(Result result, List<Result> all) {
    if (result.benchmark().equals(ATTACH)) {
      return all.stream().filter(r -> r.benchmark().equals(ATTACH)
          && r.param("mode").equals("local")
          && r.param("size").equals(result.param("size"))).findFirst();
    }
    return store(result).flatMap(store -> all.stream()
        .filter(r -> r.benchmark().equals(FLOOR) && r.param("store").equals(store.name())
            && r.param("size").equals(result.param("size"))
            && r.param("content").equals(result.param("content"))).findFirst());
  }

  /** The store a round trip or floor result belongs to. */
  static Optional<Store> store(Result result) {
    if (!result.benchmark().equals(ROUND_TRIP) && !result.benchmark().equals(FLOOR)) {
      return Optional.empty();
    }
    return STORES.stream().filter(s -> s.name().equals(result.param("store"))).findFirst();
  }

  static String markdown(List<Result> results, List<String> charts, List<Path> json) {
    StringBuilder md = new StringBuilder();
    md.append("Generated by `dev.lea.bench.Report` from ")
        .append(String.join(", ", json.stream().map(p -> "`" + p + "`").toList())).append(".")
        .append(" Scores are JMH averages with their 99.9% error; lower is better.\n\n");
    md.append("### Targets\n\n| Target | Measured | Met |\n|---|---|---|\n");
    for (Store store : STORES) {
      if (store.maxRatio().isEmpty()) {
        continue;
      }
      double maxRatio = store.maxRatio().getAsDouble();
      for (Result r : select(results, ROUND_TRIP, store)) {
        if (r.param("transport").equals("object-copy:none")) {
          floor(r, results).ifPresent(f -> md.append("| object-copy round trip on ")
              .append(store.name()).append(": within ").append(fmt(maxRatio))
              .append("x of ").append(store.floorName()).append(" at ")
              .append(r.param("size")).append(" (").append(r.param("content")).append(") | ").append(fmt(r.score() / f.score()))
              .append("x (").append(fmt(r.score())).append(" vs ").append(fmt(f.score()))
              .append(" ms) | ").append(r.score() / f.score() <= maxRatio ? "yes" : "**no**")
              .append(" |\n"));
        }
      }
    }
    for (Result r : select(results, ATTACH)) {
      if (r.param("mode").equals("cached")) {
        floor(r, results).ifPresent(f -> md.append("| cached unchanged session adds ≤ ")
            .append(fmt(ATTACH_MAX_OVERHEAD_MS)).append(" ms over a local attach (")
            .append(r.param("size")).append(") | +").append(fmt(r.score() - f.score()))
            .append(" ms (").append(fmt(r.score())).append(" vs ").append(fmt(f.score()))
            .append(" ms) | ")
            .append(r.score() - f.score() <= ATTACH_MAX_OVERHEAD_MS ? "yes" : "**no**")
            .append(" |\n"));
      }
    }
    for (Store store : STORES) {
      List<Result> roundTrips = roundTrips(results, store);
      if (roundTrips.isEmpty()) {
        continue;
      }
      md.append("\n### Round trip (upload + download) on ").append(store.title()).append("\n\n")
          .append("| Size | Content | Transport | ms/op | ± | ").append(store.floorColumn())
          .append(" |\n|---|---|---|---:|---:|---:|\n");
      for (Result r : roundTrips) {
        md.append("| ").append(r.param("size")).append(" | ").append(r.param("content"))
            .append(" | ").append(label(r)).append(" | ").append(fmt(r.score())).append(" | ")
            .append(fmt(r.error())).append(" | ").append(ratio(r, results)).append(" |\n");
      }
    }
    List<Result> attaches = select(results, ATTACH);
    if (!attaches.isEmpty()) {
      md.append("\n### Attach overhead (plain DuckDB warehouse, `file:`)\n\n")
          .append("| Size | Mode | ms/op | ± | × local | + ms over local |\n")
          .append("|---|---|---:|---:|---:|---:|\n");
      for (Result r : attaches) {
        String extra = floor(r, results).map(f -> fmt(r.score() - f.score())).orElse("n/a");
        md.append("| ").append(r.param("size")).append(" | ").append(r.param("mode"))
            .append(" | ").append(fmt(r.score())).append(" | ").append(fmt(r.error()))
            .append(" | ").append(ratio(r, results)).append(" | ").append(extra).append(" |\n");
      }
    }
    md.append('\n');
    for (String chart : charts) {
      md.append("![").append(chart).append("](benchmarks/").append(chart).append(")\n\n");
    }
    return md.toString();
  }

  /** A store's floors and round trips, by size, content, then floor first. */
  private static List<Result> roundTrips(List<Result> results, Store store) {
    List<Result> roundTrips = new ArrayList<>(select(results, FLOOR, store));
    roundTrips.addAll(select(results, ROUND_TRIP, store));
    roundTrips.sort((a, b) -> key(a).compareTo(key(b)));
    return roundTrips;
  }

  static String splice(String doc, String section, Path where) {
    int start = doc.indexOf(START);
    int end = doc.indexOf(END);
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("Cannot update " + where + ": it lacks the markers "
          + START + " and " + END + " (in that order). Add them where the results belong.");
    }
    return doc.substring(0, start + START.length()) + "\n" + section + doc.substring(end);
  }

  private static List<String> charts(List<Result> results, Path images) throws IOException {
    List<String> written = new ArrayList<>();
    for (Store store : STORES) {
      Map<String, List<Result>> bySize = new LinkedHashMap<>();
      for (Result r : roundTrips(results, store)) {
        bySize.computeIfAbsent(r.param("size"), s -> new ArrayList<>()).add(r);
      }
      for (var entry : bySize.entrySet()) {
        String name = store.chartPrefix() + entry.getKey().toLowerCase(Locale.ROOT) + ".png";
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Result r : entry.getValue()) {
          labels.add(r.param("content") + " " + label(r));
          values.add(r.score());
        }
        bars("Round trip on " + store.name() + ":, " + entry.getKey() + " (ms/op, log scale)",
            labels, values, true, images.resolve(name));
        written.add(name);
      }
    }
    List<Result> attaches = select(results, ATTACH);
    if (!attaches.isEmpty()) {
      List<String> labels = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (Result r : attaches) {
        labels.add(r.param("mode") + " " + r.param("size"));
        values.add(r.score());
      }
      bars("Attach + commit, nothing changed (ms/op)", labels, values, false,
          images.resolve("attach.png"));
      written.add("attach.png");
    }
    return written;
  }

  private static void bars(String title, List<String> labels, List<Double> values, boolean log,
      Path file) throws IOException {
    int labelWidth = 260;
    int plotWidth = 560;
    int barHeight = 22;
    int top = 40;
    int width = labelWidth + plotWidth + 90;
    int height = top + labels.size() * (barHeight + 6) + 20;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(title, 10, 22);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      FontMetrics metrics = g.getFontMetrics();
      double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
      double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(1);
      // On a log axis the smallest bar keeps a visible stub: the axis starts a decade below it.
      double low = log ? Math.log10(Math.max(min, 1e-3)) - 1 : 0;
      double high = log ? Math.log10(max) : max;
      for (int i = 0; i < labels.size(); i++) {
        int y = top + i * (barHeight + 6);
        double v = values.get(i);
        double scaled = log ? Math.log10(Math.max(v, 1e-3)) : v;
        int length = (int) Math.max(1, (scaled - low) / (high - low) * plotWidth);
        String label = labels.get(i);
        boolean floor = label.endsWith("(floor)") || label.startsWith("local");
        g.setColor(floor ? new Color(0x7f, 0x7f, 0x7f) : new Color(0x2b, 0x6c, 0xb0));
        g.fillRect(labelWidth, y, length, barHeight);
        g.setColor(Color.BLACK);
        g.drawString(label, labelWidth - 8 - metrics.stringWidth(label), y + barHeight - 6);
        g.drawString(fmt(v), labelWidth + length + 6, y + barHeight - 6);
      }
      g.setStroke(new BasicStroke(1));
      g.drawLine(labelWidth, top - 4, labelWidth, height - 16);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", file.toFile());
  }

  private static List<Result> select(List<Result> results, String benchmark) {
    return results.stream().filter(r -> r.benchmark().equals(benchmark)).toList();
  }

  private static List<Result> select(List<Result> results, String benchmark, Store store) {
    return select(results, benchmark).stream()
        .filter(r -> r.param("store").equals(store.name())).toList();
  }

  private static boolean isFloor(Result r) {
    return r.benchmark().equals(FLOOR);
  }

  private static String key(Result r) {
    return String.format(Locale.ROOT, "%012d|%s|%s", Catalogs.bytes(r.param("size")),
        r.param("content"), isFloor(r) ? "" : r.param("transport"));
  }

  private static String label(Result r) {
    return isFloor(r) ? store(r).orElseThrow().floorLabel() : r.param("transport");
  }

  private static String ratio(Result r, List<Result> all) {
    return floor(r, all).map(f -> fmt(r.score() / f.score()) + "x").orElse("n/a");
  }

  private static String fmt(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.2f", value);
  }
}
