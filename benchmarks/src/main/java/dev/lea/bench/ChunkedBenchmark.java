package dev.lea.bench;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import dev.lea.transport.TransportOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@code chunked} transport on the {@code file:} store, in the three situations it exists
 * for: {@code full} (upload and download with no chunk in the bucket or on disk: its worst case,
 * comparable with {@link RoundTripBenchmark}), {@code incremental} (upload of a catalog that
 * differs from the stored one by 16 bytes: what a run that changed a few pages pays), and
 * {@code cachedDownload} (download of such a catalog onto the previous version, as a session
 * does with its cache: only the changed chunks travel).
 */
public class ChunkedBenchmark extends CatalogBenchmark {

  @Param({"full", "incremental", "cachedDownload"})
  public String mode;

  private Path scratch;
  private Path base;
  private Path changed;
  private Path target;
  private ObjectStore store;
  private String key;
  private CatalogTransport transport;
  private LeaConfig config;
  private CatalogFile baseFile;
  private long invocation;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    scratch = LocalFiles.createPrivateTempDirectory(null, "lea-bench-chunked-");
    base = scratch.resolve("base.duckdb");
    Files.copy(Catalogs.file(content, size), base);
    baseFile = describe(base);
    changed = scratch.resolve("changed.duckdb");
    target = scratch.resolve("downloaded.duckdb");
    config = LeaConfig.defaults(scratch).with(LeaSettings.WORK_DIR, scratch.toString());
    transport = CatalogTransports.named("chunked").withOptions(TransportOptions.of(config));
    Files.createDirectories(scratch.resolve("bucket"));
    Location location = Location.parse("file:" + scratch.resolve("bucket/catalog.duckdb"),
        scratch);
    store = ObjectStores.open(location, config);
    key = location.key();
    if (!mode.equals("full")) {
      transport.upload(store, key, base, baseFile, Condition.none());
    }
    if (mode.equals("cachedDownload")) {
      mutate(base, changed, 1);
      transport.upload(store, key, changed, describe(changed), Condition.none());
    }
  }

  @Setup(Level.Invocation)
  public void prepare() throws IOException {
    invocation++;
    switch (mode) {
      case "full" -> {
        LocalFiles.deleteRecursively(scratch.resolve("bucket"));
        Files.createDirectories(scratch.resolve("bucket"));
        Files.deleteIfExists(target);
      }
      case "incremental" -> mutate(base, changed, invocation);
      default -> Files.copy(base, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Benchmark
  public void chunked(Blackhole blackhole) throws IOException {
    switch (mode) {
      case "full" -> {
        blackhole.consume(transport.upload(store, key, base, baseFile, Condition.none()));
        blackhole.consume(transport.download(store, key, target, null));
      }
      case "incremental" -> blackhole.consume(transport.upload(store, key, changed,
          describe(changed), Condition.none()));
      default -> blackhole.consume(transport.download(store, key, target, null));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();
    LocalFiles.deleteRecursively(scratch);
  }

  /** A copy of {@code from} with 16 bytes changed at a place that depends on {@code seed}. */
  private static void mutate(Path from, Path to, long seed) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    try (RandomAccessFile file = new RandomAccessFile(to.toFile(), "rw")) {
      long position = Math.floorMod(seed * 7_919_003L, Math.max(1, file.length() - 16));
      file.seek(position);
      for (int i = 0; i < 16; i++) {
        file.write((int) (seed + i));
      }
    }
  }

  private static CatalogFile describe(Path file) throws IOException {
    return new CatalogFile(LocalFiles.sha256(file), Files.size(file), "duckdb-warehouse");
  }
}
