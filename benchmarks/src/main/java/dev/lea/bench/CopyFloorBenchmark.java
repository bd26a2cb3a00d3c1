package dev.lea.bench;

import dev.lea.store.LocalFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

/**
 * The physical floor of a {@code file:} round trip: the same bytes copied to the "bucket" and back
 * with {@link Files#copy}, no hashing, no metadata, no atomic rename.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CopyFloorBenchmark {

  @Param({"1MiB", "64MiB"})
  public String size;

  @Param({"random", "realistic"})
  public String content;

  private Path scratch;
  private Path source;
  private Path remote;
  private Path target;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    source = Catalogs.file(content, size);
    scratch = LocalFiles.createPrivateTempDirectory(null, "lea-bench-");
    remote = scratch.resolve("remote.duckdb");
    target = scratch.resolve("downloaded.duckdb");
  }

  @Benchmark
  public long filesCopyTwice() throws IOException {
    Files.copy(source, remote, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(remote, target, StandardCopyOption.REPLACE_EXISTING);
    return Files.size(target);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    LocalFiles.deleteRecursively(scratch);
  }
}
