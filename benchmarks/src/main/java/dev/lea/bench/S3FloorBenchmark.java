package dev.lea.bench;

import dev.lea.store.LocalFiles;
import java.io.IOException;
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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The floor of an S3 round trip: the same bytes put and got back with the bare AWS SDK
 * ({@code RequestBody.fromFile}, {@code ResponseTransformer.toFile}) against the same in-process
 * S3Proxy, with no hashing, metadata, conditions or multipart upload of lea's own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class S3FloorBenchmark {

  private static final String KEY = "floor/catalog.duckdb";

  @Param({"1MiB", "64MiB"})
  public String size;

  @Param({"random", "realistic"})
  public String content;

  private Path scratch;
  private Path source;
  private Path target;
  private S3Fake server;
  private S3Client client;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    source = Catalogs.file(content, size);
    scratch = LocalFiles.createPrivateTempDirectory(null, "lea-bench-");
    target = scratch.resolve("downloaded.duckdb");
    server = S3Fake.start(Files.createDirectories(scratch.resolve("s3")));
    client = server.newClient();
  }

  @Benchmark
  public long sdkPutGet() throws IOException {
    client.putObject(b -> b.bucket(S3Fake.BUCKET).key(KEY), RequestBody.fromFile(source));
    // toFile refuses to overwrite; lea's download replaces its target, so both start clean.
    Files.deleteIfExists(target);
    client.getObject(b -> b.bucket(S3Fake.BUCKET).key(KEY), ResponseTransformer.toFile(target));
    return Files.size(target);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    client.close();
    server.close();
    LocalFiles.deleteRecursively(scratch);
  }
}
