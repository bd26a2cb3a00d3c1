package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recommendation's rule: among the round trips within 10% of the fastest, fewest bytes. */
class BenchmarkResultTest {

  private static BenchmarkResult.Row row(String transport, String compression, long millis,
      long stored) {
    return new BenchmarkResult.Row(transport, compression, Duration.ofMillis(millis),
        Duration.ofMillis(millis), stored);
  }

  private static BenchmarkResult result(BenchmarkResult.Row... rows) {
    return new BenchmarkResult("a generated catalog", "file:///b/.lea/benchmark-1/", 100 << 20,
        row("raw put/get", "", 500, 100 << 20), List.of(rows));
  }

  @Test
  void prefersTheSmallestOfTheNearlyFastest() {
    BenchmarkResult result = result(row("object-copy", "none", 1000, 100 << 20),
        row("object-copy", "zstd", 1090, 30 << 20), row("chunked", "zstd", 3000, 20 << 20));

    assertThat(result.recommended().compression()).isEqualTo("zstd");
    assertThat(result.recommended().transport()).isEqualTo("object-copy");
    assertThat(result.smallest().transport()).isEqualTo("chunked");
    assertThat(result.recommendation()).isEqualTo("Recommended: lea.ducklake.transport=object-copy"
        + " lea.ducklake.compression=zstd (of the transports within 10% of the fastest round trip,"
        + " the one storing the fewest bytes); on a slow or metered link:"
        + " lea.ducklake.transport=chunked lea.ducklake.compression=zstd (fewest bytes).");
  }

  @Test
  void keepsTheFastestWhenTheSmallerAreMuchSlower() {
    BenchmarkResult result = result(row("object-copy", "none", 1000, 100 << 20),
        row("object-copy", "gzip", 1200, 30 << 20));

    assertThat(result.recommended().compression()).isEqualTo("none");
    assertThat(result.ratioToFloor(result.rows().get(0))).isEqualTo(2.0);
    assertThat(result.mibPerSecond(result.rows().get(0))).isEqualTo(100.0);
  }
}
