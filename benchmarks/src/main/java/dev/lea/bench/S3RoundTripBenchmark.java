package dev.lea.bench;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.store.LocalFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Upload then download of one catalog through a transport on {@code s3://}, served by an
 * in-process S3Proxy and reached the way a user configures an S3-compatible store
 * ({@code lea.s3.endpoint}, path style, region; credentials from the SDK's default chain).
 *
 * <p>{@code gzip} is left out by default: on {@code file:} it is CPU-bound at several times
 * {@code zstd}, which a loopback S3 cannot change. Ask for it with
 * {@code -p transport=object-copy:gzip}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class S3RoundTripBenchmark {

  /** {@code <transport>} or {@code <transport>:<compression>}. */
  @Param({"object-copy:none", "object-copy:zstd", "parquet-blob"})
  public String transport;

  @Param({"1MiB", "64MiB"})
  public String size;

  @Param({"random", "realistic"})
  public String content;

  /**
   * {@code default}, or the S3 upload tuning to try as
   * {@code <partSize>x<parallelism>/<singlePutLimit>}, e.g. {@code 16MiBx8/64MiB}
   * ({@code lea.s3.partSize}, {@code lea.s3.parallelism}, {@code lea.s3.singlePutLimit}).
   */
  @Param({"default"})
  public String parts;

  private Path scratch;
  private S3Fake server;
  private TransportRoundTrip roundTrip;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path source = Catalogs.file(content, size);
    scratch = LocalFiles.createPrivateTempDirectory(null, "lea-bench-");
    server = S3Fake.start(Files.createDirectories(scratch.resolve("s3")));
    LeaConfig config = server.configure(LeaConfig.defaults(scratch));
    if (!parts.equals("default")) {
      String[] tuning = parts.split("[x/]");
      config = config.with(LeaSettings.S3_PART_SIZE, tuning[0])
          .with(LeaSettings.S3_PARALLELISM, tuning[1])
          .with(LeaSettings.S3_SINGLE_PUT_LIMIT, tuning[2]);
    }
    roundTrip = new TransportRoundTrip(transport, source,
        "s3://" + S3Fake.BUCKET + "/lake/catalog.duckdb", config, scratch);
  }

  @Benchmark
  public void roundTrip(Blackhole blackhole) throws Exception {
    roundTrip.run(blackhole);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    roundTrip.close();
    server.close();
    LocalFiles.deleteRecursively(scratch);
  }
}
