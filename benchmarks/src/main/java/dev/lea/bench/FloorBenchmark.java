package dev.lea.bench;

import dev.lea.internal.LocalFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor of a round trip on a store: the same bytes moved there and back by the simplest code
 * that can ({@link Bucket#floor}), against which {@link RoundTripBenchmark} is judged.
 */
public class FloorBenchmark extends CatalogBenchmark {

  @Param({"file", "s3", "gcs"})
  public String store;

  private Path scratch;
  private Path source;
  private Path target;
  private Bucket bucket;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    source = Catalogs.file(content, size);
    scratch = LocalFiles.createPrivateTempDirectory(null, "lea-bench-");
    target = scratch.resolve("downloaded.duckdb");
    bucket = Bucket.start(store, scratch);
  }

  @Benchmark
  public long floor() throws IOException {
    return bucket.floor(source, "floor/catalog.duckdb", target);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    bucket.close();
    LocalFiles.deleteRecursively(scratch);
  }
}
