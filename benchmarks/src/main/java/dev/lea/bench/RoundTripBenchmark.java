package dev.lea.bench;

import dev.lea.config.LeaConfig;
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
 * Upload then download of one catalog through a transport on the {@code file:} store. 1 GiB runs
 * only when asked for with {@code -p size=1GiB}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RoundTripBenchmark {

  /** {@code <transport>} or {@code <transport>:<compression>}. */
  @Param({"object-copy:none", "object-copy:gzip", "object-copy:zstd", "parquet-blob"})
  public String transport;

  @Param({"1MiB", "64MiB"})
  public String size;

  @Param({"random", "realistic"})
  public String content;

  private Path scratch;
  private TransportRoundTrip roundTrip;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path source = Catalogs.file(content, size);
    scratch = LocalFiles.createPrivateTempDirectory(null, "lea-bench-");
    Path bucket = Files.createDirectories(scratch.resolve("bucket"));
    roundTrip = new TransportRoundTrip(transport, source, "file:" + bucket.resolve("catalog.duckdb"),
        LeaConfig.defaults(scratch), scratch);
  }

  @Benchmark
  public void roundTrip(Blackhole blackhole) throws Exception {
    roundTrip.run(blackhole);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    roundTrip.close();
    LocalFiles.deleteRecursively(scratch);
  }
}
