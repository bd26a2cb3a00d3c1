package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LibraryLogging;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.store.Location;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/**
 * The entry point for anything that works on a warehouse whose catalog lives in a bucket:
 *
 * <pre>{@code
 * try (CatalogSession session = CatalogSync.open(config, Reporter.console())) {
 *   session.connection().createStatement().execute("CREATE TABLE t AS SELECT 42 AS answer");
 *   session.commit();
 * }
 * }</pre>
 *
 * <p>{@code open} takes the lock, downloads the catalog (or starts fresh) and attaches it.
 * {@link CatalogSession#commit()} uploads it back, fenced against concurrent writers; a session
 * closed without commit has failed, and the failure policy decides where its catalog goes.
 *
 * <p>It opens exactly the configured location. lea's development environments (a run writes to
 * {@code warehouse_<username>.duckdb} unless {@code lea.production=true}) are applied by the
 * front-ends: {@link dev.lea.Lea#open} and {@link dev.lea.Lea#run}, which the Maven goals call.
 */
public final class CatalogSync {

  static {
    LibraryLogging.quietWithoutBinding();
  }

  private CatalogSync() {}

  public static CatalogSession open(LeaConfig config) {
    return open(config, Reporter.silent());
  }

  /**
   * Opens a session. Fails with a {@link LeaException} naming what is wrong before any network
   * call for bad configuration, and before any lock for a missing DuckDB extension.
   */
  public static CatalogSession open(LeaConfig config, Reporter reporter) {
    CatalogTarget target = CatalogTarget.resolve(config);
    return target.synced() ? SyncedSession.open(target, config, reporter)
        : InPlaceSession.open(target, config, reporter);
  }

  /**
   * An in-memory DuckDB with nothing attached, configured as a session's connection is (extension
   * directory, repository and signature settings): for work that must touch no warehouse, such as
   * a dry run whose catalog does not exist yet. Closing the connection discards everything.
   */
  public static Connection openInMemory(LeaConfig config) {
    return DuckDb.open(null, config);
  }

  /**
   * What earlier runs left on this machine (session folders of runs that ended without cleaning
   * up, kept catalogs), one line each, for {@code lea:status}; probes, removes nothing.
   */
  public static List<String> leftovers(LeaConfig config) {
    return Leftovers.describe(config);
  }

  /**
   * Where the configured catalog or DuckDB file lives in a bucket, or empty when the warehouse is
   * used in place (a local file, Postgres, MotherDuck) or none is configured.
   */
  public static Optional<Location> remoteCatalog(LeaConfig config) {
    return CatalogTarget.remote(config);
  }

  /**
   * The DuckLake attach string of a catalog in Postgres ({@code ducklake:postgres:<conninfo>}),
   * or empty for any other warehouse. Such a catalog is shared in place, never synced or locked.
   */
  public static Optional<String> postgresCatalog(LeaConfig config) {
    boolean named = config.find(LeaSettings.CATALOG_URL)
        .or(() -> config.find(LeaSettings.CATALOG_DATABASE))
        .filter(value -> value.startsWith("postgres:")).isPresent();
    if (!named) {
      return Optional.empty();
    }
    CatalogTarget target = CatalogTarget.resolve(config);
    return target.kind() == CatalogTarget.Kind.DUCKLAKE_POSTGRES
        ? Optional.of("ducklake:" + target.local()) : Optional.empty();
  }
}
