package dev.lea.bench;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.sync.SyncResult;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogTransports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What attaching through lea costs over opening the same DuckDB file locally: a full session
 * (lock, download or cache check, attach, commit with nothing changed, unlock) on a plain DuckDB
 * warehouse synced through {@code file:}.
 */
public class AttachBenchmark extends QuickProfile {

  /**
   * {@code local}: DriverManager on the file. {@code cached}: session whose cache holds the current
   * version (not-modified). {@code uncached}: session with the cache disabled (full download).
   */
  @Param({"local", "cached", "uncached"})
  public String mode;

  /** 1 GiB only when asked for, with {@code -p size=1GiB}: growing it takes minutes. */
  @Param({"1MiB", "64MiB", "256MiB"})
  public String size;

  private Path scratch;
  private Path local;
  private LeaConfig config;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path source = Catalogs.file("realistic", size);
    scratch = LocalFiles.createPrivateTempDirectory(null, "lea-bench-");
    local = scratch.resolve("local.duckdb");
    Files.copy(source, local);
    Path remote = scratch.resolve("bucket/warehouse.duckdb");
    Files.createDirectories(remote.getParent());
    config = LeaConfig.defaults(scratch)
        .with(LeaSettings.WAREHOUSE, "duckdb")
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote)
        .with(LeaSettings.CACHE_DIR, scratch.resolve("cache").toString())
        .with(LeaSettings.WORK_DIR, scratch.resolve("work").toString())
        .with(LeaSettings.CACHE_ENABLED, Boolean.toString(!mode.equals("uncached")));
    Location location = Location.parse("file:" + remote, scratch);
    try (ObjectStore store = ObjectStores.open(location, config)) {
      CatalogTransports.named(LeaSettings.TRANSPORT_DEFAULT).upload(store, location.key(), source,
          new CatalogFile(LocalFiles.sha256(source), Files.size(source), "duckdb-warehouse"),
          Condition.none());
    }
    if (!mode.equals("local")) {
      // Fills the cache, and proves an unchanged session really is a no-op before timing it.
      SyncResult first = session();
      if (first.outcome() != SyncResult.Outcome.UNCHANGED) {
        throw new IllegalStateException("Cannot benchmark attach: an untouched session ended "
            + first.outcome() + " instead of UNCHANGED, so every run would upload.");
      }
    }
  }

  @Benchmark
  public Object attach() throws SQLException {
    if (mode.equals("local")) {
      try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + local)) {
        return connection.getMetaData();
      }
    }
    return session();
  }

  private SyncResult session() {
    try (CatalogSession session = CatalogSync.open(config)) {
      return session.commit();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    LocalFiles.deleteRecursively(scratch);
  }
}
