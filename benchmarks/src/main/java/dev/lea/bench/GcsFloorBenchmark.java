package dev.lea.bench;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
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

/**
 * The floor of a GCS round trip: the same bytes uploaded and downloaded with the bare
 * google-cloud-storage client ({@code Storage.createFrom}, {@code Storage.downloadTo}) against
 * the same in-process fake, with none of lea's hashing, metadata or preconditions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class GcsFloorBenchmark {

  private static final BlobId BLOB = BlobId.of(GcsFake.BUCKET, "floor/catalog.duckdb");

  @Param({"1MiB", "64MiB"})
  public String size;

  @Param({"random", "realistic"})
  public String content;

  private Path scratch;
  private Path source;
  private Path target;
  private GcsFake server;
  private Storage client;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    source = Catalogs.file(content, size);
    scratch = LocalFiles.createPrivateTempDirectory(null, "lea-bench-");
    target = scratch.resolve("downloaded.duckdb");
    server = GcsFake.start();
    client = StorageOptions.http().setHost(server.endpoint()).setProjectId("lea-bench")
        .setCredentials(NoCredentials.getInstance()).build().getService();
  }

  @Benchmark
  public long clientUploadDownload() throws IOException {
    client.createFrom(BlobInfo.newBuilder(BLOB).build(), source);
    client.downloadTo(BLOB, target);
    return Files.size(target);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    client.close();
    server.close();
    LocalFiles.deleteRecursively(scratch);
  }
}
