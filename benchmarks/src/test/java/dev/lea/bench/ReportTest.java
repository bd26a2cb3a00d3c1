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
        {"benchmark": "dev.lea.bench.CopyFloorBenchmark.filesCopyTwice",
         "params": {"size": "64MiB", "content": "random"},
         "primaryMetric": {"score": 40.0, "scoreError": 2.0, "scoreUnit": "ms/op"}},
        {"benchmark": "dev.lea.bench.RoundTripBenchmark.roundTrip",
         "params": {"size": "64MiB", "content": "random", "transport": "object-copy:none"},
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

    String md = Report.markdown(results, List.of("attach.png"), json);

    assertThat(md)
        .contains("| 64MiB | random | object-copy:none | 80.00 | 4.00 | 2.00x |")
        .contains("| 64MiB | random | Files.copy ×2 (floor) | 40.00 | 2.00 | 1.00x |")
        .contains("within 1.50x of Files.copy at 64 MiB (random) | 2.00x (80.00 vs 40.00 ms) | **no** |")
        .contains("adds < 50.00 ms over a local attach (1MiB) | +20.00 ms (30.00 vs 10.00 ms) | yes |")
        .contains("| 1MiB | cached | 30.00 | 1.00 | 3.00x | 20.00 |")
        .contains("![attach.png](benchmarks/attach.png)");
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
