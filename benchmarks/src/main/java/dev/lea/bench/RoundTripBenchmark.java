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
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Upload then download of one catalog through a transport on a store ({@link Bucket}): what a
 * session pays at commit and at the next open when the catalog changed and no cache helps.
 * {@link FloorBenchmark} moves the same bytes on the same store without lea. {@code gzip} is
 * CPU-bound at several times {@code zstd}, which no store changes: leave it out of remote runs
 * with {@code -p transport=object-copy:none,object-copy:zstd,parquet-blob}. 1 GiB runs only when
 * asked for with {@code -p size=1GiB}.
 */
public class RoundTripBenchmark extends CatalogBenchmark {

  @Param({"file", "s3", "gcs"})
  public String store;

  /** {@code <transport>} or {@code <transport>:<compression>}. */
  @Param({"object-copy:none", "object-copy:gzip", "object-copy:zstd", "parquet-blob"})
  public String transport;

  private Path scratch;
  private Bucket bucket;
  private Path source;
  private Path target;
  private CatalogFile catalog;
  private CatalogTransport catalogTransport;
  private LeaConfig config;
  private ObjectStore objectStore;
  private String key;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    source = Catalogs.file(content, size);
    scratch = LocalFiles.createPrivateTempDirectory(null, "lea-bench-");
    bucket = Bucket.start(store, scratch);
    target = scratch.resolve("downloaded.duckdb");
    int colon = transport.indexOf(':');
    LeaConfig withWork = bucket.configure(LeaConfig.defaults(scratch))
        .with(LeaSettings.WORK_DIR, scratch.toString());
    config = colon < 0 ? withWork
        : withWork.with(LeaSettings.COMPRESSION, transport.substring(colon + 1));
    catalogTransport = CatalogTransports.named(
        colon < 0 ? transport : transport.substring(0, colon))
        .withOptions(TransportOptions.of(config));
    Location location = Location.parse(bucket.url("lake/catalog.duckdb"), scratch);
    objectStore = ObjectStores.open(location, config);
    key = location.key();
    // object-copy is given no digest, as a session gives it none: what it computes to record
    // (nothing where the store keeps a CRC32C, else a CRC32C read ahead) is part of the time. The
    // other transports still take the digest a session computes first.
    boolean asSession = catalogTransport.name().equals("object-copy");
    catalog = new CatalogFile(asSession ? null : LocalFiles.sha256(source),
        Files.size(source), "duckdb-warehouse");
  }

  @Benchmark
  public void roundTrip(Blackhole blackhole) throws IOException {
    blackhole.consume(catalogTransport.upload(objectStore, key, source, catalog, Condition.none()));
    // A session downloads into a fresh work directory, and the floors delete their target first
    // (Files.copy REPLACE_EXISTING, S3's toFile): renaming over a file instead would make ext4
    // write the new one back at once (auto_da_alloc), a cost no session pays.
    Files.deleteIfExists(target);
    blackhole.consume(catalogTransport.download(objectStore, key, target, null));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    objectStore.close();
    bucket.close();
    LocalFiles.deleteRecursively(scratch);
  }
}
