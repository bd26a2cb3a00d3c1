package dev.lea.bench;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.LocalFiles;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import dev.lea.transport.Download;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Upload then download of one catalog through a transport on the {@code file:} store: what a
 * session pays at open and commit when the catalog changed and no cache helps. 1 GiB runs only
 * when asked for with {@code -p size=1GiB}.
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
  private Path source;
  private Path target;
  private CatalogFile catalog;
  private ObjectStore store;
  private String key;
  private CatalogTransport catalogTransport;
  private LeaConfig config;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    source = Catalogs.file(content, size);
    catalog = new CatalogFile(LocalFiles.sha256(source), Files.size(source), "duckdb-warehouse");
    scratch = LocalFiles.createPrivateTempDirectory(null, "lea-bench-");
    target = scratch.resolve("downloaded.duckdb");
    int colon = transport.indexOf(':');
    String name = colon < 0 ? transport : transport.substring(0, colon);
    config = LeaConfig.defaults(scratch).with(LeaSettings.WORK_DIR, scratch.toString());
    if (colon >= 0) {
      config = config.with(LeaSettings.COMPRESSION, transport.substring(colon + 1));
    }
    catalogTransport = CatalogTransports.named(name);
    Location location = Location.parse("file:" + scratch.resolve("bucket/catalog.duckdb"), scratch);
    Files.createDirectories(scratch.resolve("bucket"));
    store = ObjectStores.open(location, config);
    key = location.key();
  }

  @Benchmark
  public void roundTrip(Blackhole blackhole) throws IOException {
    ObjectInfo uploaded = catalogTransport.upload(store, key, source, catalog, Condition.none(),
        config);
    Download downloaded = catalogTransport.download(store, key, target, null, config);
    blackhole.consume(uploaded);
    blackhole.consume(downloaded);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    store.close();
    LocalFiles.deleteRecursively(scratch);
  }
}
