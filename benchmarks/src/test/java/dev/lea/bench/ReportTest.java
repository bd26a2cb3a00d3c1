package dev.lea.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  private static final String JSON = """
      [
        {"benchmark": "dev.lea.bench.FloorBenchmark.floor",
         "params": {"store": "file", "size": "64MiB", "content": "random"},
         "primaryMetric": {"score": 40.0, "scoreError": 2.0, "scoreUnit": "ms/op"}},
        {"benchmark": "dev.lea.bench.RoundTripBenchmark.roundTrip",
         "params": {"store": "file", "size": "64MiB", "content": "random",
                    "transport": "object-copy:none"},
         "primaryMetric": {"score": 80.0, "scoreError": 4.0, "scoreUnit": "ms/op"}},
        {"benchmark": "dev.lea.bench.AttachBenchmark.attach",
         "params": {"size": "1MiB", "mode": "local"},
         "primaryMetric": {"score": 10.0, "scoreError": 1.0, "scoreUnit": "ms/op"}},
        {"benchmark": "dev.lea.bench.AttachBenchmark.attach",
         "params": {"size": "1MiB", "mode": "cached"},
         "primaryMetric": {"score": 30.0, "scoreError": 1.0, "scoreUnit": "ms/op"}}
      ]
      """;

  @TempDir
  Path dir;

  @Test
  void reportsEachResultAsARatioToItsFloorAndJudgesTheTargets() throws Exception {
    Path json = Files.writeString(dir.resolve("r.json"), JSON);
    List<Report.Result> results = Report.read(json);

    String md = Report.markdown(results, List.of("attach.png"), List.of(json));

    assertThat(md)
        .contains("| 64MiB | random | object-copy:none | 80.00 | 4.00 | 2.00x |")
        .contains("| 64MiB | random | Files.copy + fsync, Files.copy (floor) | 40.00 | 2.00 | 1.00x |")
        .contains("within 1.30x of Files.copy + fsync at 64MiB (random) | 2.00x (80.00 vs 40.00 ms)"
            + " | **no** |")
        .contains("adds ≤ 25.00 ms over a local attach (1MiB) | +20.00 ms (30.00 vs 10.00 ms) | yes |")
        .contains("| 1MiB | cached | 30.00 | 1.00 | 3.00x | 20.00 |")
        .contains("![attach.png](benchmarks/attach.png)");
  }

  /** Named as result files were before the store became a parameter: one benchmark per store. */
  private static final String S3_JSON = """
      [
        {"benchmark": "dev.lea.bench.S3FloorBenchmark.sdkPutGet",
         "params": {"size": "64MiB", "content": "realistic"},
         "primaryMetric": {"score": 400.0, "scoreError": 20.0, "scoreUnit": "ms/op"}},
        {"benchmark": "dev.lea.bench.S3RoundTripBenchmark.roundTrip",
         "params": {"size": "64MiB", "content": "realistic", "transport": "object-copy:none"},
         "primaryMetric": {"score": 500.0, "scoreError": 30.0, "scoreUnit": "ms/op"}},
        {"benchmark": "dev.lea.bench.S3RoundTripBenchmark.roundTrip",
         "params": {"size": "64MiB", "content": "realistic", "transport": "parquet-blob"},
         "primaryMetric": {"score": 600.0, "scoreError": 30.0, "scoreUnit": "ms/op"}},
        {"benchmark": "dev.lea.bench.S3RoundTripBenchmark.roundTrip",
         "params": {"size": "64MiB", "content": "random", "transport": "object-copy:none"},
         "primaryMetric": {"score": 700.0, "scoreError": 30.0, "scoreUnit": "ms/op"}},
        {"benchmark": "dev.lea.bench.CopyFloorBenchmark.filesCopyTwice",
         "params": {"size": "64MiB", "content": "realistic"},
         "primaryMetric": {"score": 100.0, "scoreError": 2.0, "scoreUnit": "ms/op"}}
      ]
      """;

  @Test
  void judgesS3RoundTripsAgainstTheRawSdkFloorOfTheSameSizeAndContent() throws Exception {
    Path json = Files.writeString(dir.resolve("s3.json"), S3_JSON);
    List<Report.Result> results = Report.read(json);

    String md = Report.markdown(results, List.of(), List.of(json));

    assertThat(md)
        .contains("### Round trip (upload + download) on `s3:` (S3Proxy in the benchmark's JVM)")
        .contains("| Size | Content | Transport | ms/op | ± | × SDK floor |")
        .contains("| 64MiB | realistic | SDK put + get (floor) | 400 | 20.00 | 1.00x |")
        .contains("| 64MiB | realistic | object-copy:none | 500 | 30.00 | 1.25x |")
        .contains("| 64MiB | realistic | parquet-blob | 600 | 30.00 | 1.50x |")
        .contains("| object-copy round trip on s3: within 1.10x of raw SDK put + get at 64MiB"
            + " (realistic) | 1.25x (500 vs 400 ms) | **no** |")
        // No S3 floor was measured for random content, and the file: floor must not stand in.
        .contains("| 64MiB | random | object-copy:none | 700 | 30.00 | n/a |")
        .doesNotContain("(random) | ")
        .doesNotContain("Attach overhead");
    assertThat(md.indexOf("SDK put + get (floor)"))
        .as("the floor row comes first within its size and content")
        .isLessThan(md.indexOf("| 64MiB | realistic | object-copy:none | 500"));
  }

  @Test
  void reportsGcsRoundTripsAgainstTheClientFloorWithoutATargetTheIssueDoesNotSet()
      throws Exception {
    Path json = Files.writeString(dir.resolve("gcs.json"), """
        [
          {"benchmark": "dev.lea.bench.RoundTripBenchmark.roundTrip",
           "params": {"store": "gcs", "size": "1MiB", "content": "random", "transport": "object-copy:zstd"},
           "primaryMetric": {"score": 90.0, "scoreError": 9.0, "scoreUnit": "ms/op"}},
          {"benchmark": "dev.lea.bench.FloorBenchmark.floor",
           "params": {"store": "gcs", "size": "1MiB", "content": "random"},
           "primaryMetric": {"score": 60.0, "scoreError": 6.0, "scoreUnit": "ms/op"}},
          {"benchmark": "dev.lea.bench.RoundTripBenchmark.roundTrip",
           "params": {"store": "gcs", "size": "64MiB", "content": "random", "transport": "object-copy:none"},
           "primaryMetric": {"score": 900.0, "scoreError": 9.0, "scoreUnit": "ms/op"}},
          {"benchmark": "dev.lea.bench.FloorBenchmark.floor",
           "params": {"store": "gcs", "size": "64MiB", "content": "random"},
           "primaryMetric": {"score": 300.0, "scoreError": 6.0, "scoreUnit": "ms/op"}}
        ]
        """);

    String md = Report.markdown(Report.read(json), List.of(), List.of(json));

    assertThat(md)
        .contains("### Round trip (upload + download) on `gs:`")
        .contains("| Size | Content | Transport | ms/op | ± | × client floor |")
        .contains("| 1MiB | random | client createFrom + downloadTo (floor) | 60.00 | 6.00 | 1.00x |")
        .contains("| 1MiB | random | object-copy:zstd | 90.00 | 9.00 | 1.50x |")
        .contains("| 64MiB | random | object-copy:none | 900 | 9.00 | 3.00x |")
        .doesNotContain("round trip on gcs:");
    assertThat(md.indexOf("| 1MiB |")).as("sizes in increasing order")
        .isLessThan(md.indexOf("| 64MiB |"));
  }

  @Test
  void leavesOutTheSectionsOfStoresThatWereNotMeasured() throws Exception {
    Path json = Files.writeString(dir.resolve("r.json"), JSON);

    String md = Report.markdown(Report.read(json), List.of(), List.of(json));

    assertThat(md).contains("on `file:`").doesNotContain("`s3:`").doesNotContain("on s3:")
        .doesNotContain("`gs:`");
  }

  @Test
  void writesTheSectionAndOneChartPerStoreAndSizeFromSeveralResultFiles() throws Exception {
    Path file = Files.writeString(dir.resolve("file.json"), JSON);
    Path s3 = Files.writeString(dir.resolve("s3.json"), S3_JSON);
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("benchmarks.md"),
        "# B\n" + Report.START + "\nold\n" + Report.END + "\n");

    Report.main(new String[] {file.toString(), s3.toString(), docs.toString()});

    assertThat(docs.resolve("benchmarks/round-trip-64mib.png")).isNotEmptyFile();
    assertThat(docs.resolve("benchmarks/round-trip-s3-64mib.png")).isNotEmptyFile();
    assertThat(docs.resolve("benchmarks/attach.png")).isNotEmptyFile();
    assertThat(Files.readString(docs.resolve("benchmarks.md")))
        .startsWith("# B\n" + Report.START + "\nGenerated by `dev.lea.bench.Report` from `"
            + file + "`, `" + s3 + "`.")
        .contains("object-copy round trip on file:")
        .contains("object-copy round trip on s3:")
        .contains("![round-trip-s3-64mib.png](benchmarks/round-trip-s3-64mib.png)")
        .doesNotContain("old")
        .endsWith(Report.END + "\n");
  }

  @Test
  void replacesOnlyTheTextBetweenTheMarkers() {
    String doc = "intro\n" + Report.START + "\nold\n" + Report.END + "\noutro\n";

    String spliced = Report.splice(doc, "new\n", Path.of("b.md"));

    assertThat(spliced).isEqualTo("intro\n" + Report.START + "\nnew\n" + Report.END + "\noutro\n");
  }

  @Test
  void refusesADocumentWithoutMarkers() {
    assertThatThrownBy(() -> Report.splice("no markers", "x", Path.of("docs/benchmarks.md")))
        .hasMessage("Cannot update docs/benchmarks.md: it lacks the markers " + Report.START
            + " and " + Report.END + " (in that order). Add them where the results belong.");
  }

  @Test
  void rejectsJsonThatIsNotAJmhResultArray() throws Exception {
    Path json = Files.writeString(dir.resolve("bad.json"), "{\"benchmark\": 1}");

    assertThatThrownBy(() -> Report.read(json))
        .hasMessageStartingWith("Cannot read " + json + ": it is not a JMH JSON result array");
  }

  @Test
  void parsesSizesAndRejectsOthersWithAHint() {
    assertThat(Catalogs.bytes("64MiB")).isEqualTo(64L << 20);
    assertThat(Catalogs.bytes("1GiB")).isEqualTo(1L << 30);
    assertThatThrownBy(() -> Catalogs.bytes("64MB"))
        .hasMessage("Cannot parse benchmark size '64MB': expected a whole number of MiB or GiB"
            + " such as 64MiB or 1GiB.");
  }
}
