package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A warehouse used where it lives, never synced: a local DuckDB file, a local DuckLake catalog,
 * or a DuckLake on Postgres. Nothing is downloaded, uploaded or locked; finishing only closes the
 * connection so the database is complete. A warehouse reached through DuckDB itself (such as
 * MotherDuck) is one more {@link CatalogTarget.Kind} attached here.
 */
final class InPlaceSession extends AttachedSession {

  private final CatalogTarget target;
  private final boolean readOnly;
  private final Duration maintenanceAge;

  private InPlaceSession(CatalogTarget target, Reporter reporter, boolean readOnly,
      OpenCatalog catalog, Duration maintenanceAge) {
    super(SyncedSession.newRunId(), catalog, reporter);
    this.target = target;
    this.readOnly = readOnly;
    this.maintenanceAge = maintenanceAge;
  }

  static InPlaceSession open(CatalogTarget target, LeaConfig config, Reporter reporter) {
    boolean readOnly = config.flag(LeaSettings.READ_ONLY);
    boolean duckLake = target.kind() == CatalogTarget.Kind.DUCKLAKE
        || target.kind() == CatalogTarget.Kind.DUCKLAKE_POSTGRES;
    Duration maintenanceAge = duckLake && !readOnly
        ? DuckLake.maintenanceAge(config).orElse(null) : null;
    OpenCatalog catalog = OpenCatalog.prepare(target, readOnly, config);
    try {
      catalog.attach(target.local(), exists(target));
    } catch (RuntimeException e) {
      catalog.closeQuietly();
      throw e;
    }
    return new InPlaceSession(target, reporter, readOnly, catalog, maintenanceAge);
  }

  private static boolean exists(CatalogTarget target) {
    return switch (target.kind()) {
      // DuckLake creates its tables in the database named; the database itself must exist.
      case DUCKLAKE_POSTGRES, MOTHERDUCK -> true;
      case DUCKLAKE, DUCKDB -> Files.exists(Path.of(target.local()));
    };
  }

  @Override
  public boolean startedFresh() {
    return false;
  }

  @Override
  public String versionAtDownload() {
    return null;
  }

  @Override
  public synchronized SyncResult commit() {
    if (result != null) {
      return result;
    }
    try {
      catalog.maintain(maintenanceAge, reporter);
    } catch (RuntimeException e) {
      catalog.closeQuietly();
      result = notSynced(true);
      throw e;
    }
    Optional<String> unclean = catalog.close();
    result = notSynced(false);
    if (unclean.isPresent()) {
      throw LeaException.infrastructure("Cannot close " + target.describe() + " cleanly: "
          + unclean.get() + ". DuckDB replays its write-ahead log when it is opened again.");
    }
    return result;
  }

  @Override
  public synchronized SyncResult fail(Throwable cause) {
    if (result == null) {
      catalog.close();
      result = notSynced(true);
    }
    return result;
  }

  @Override
  public synchronized SyncResult discard() {
    if (result == null) {
      catalog.close();
      result = new SyncResult(SyncResult.Outcome.NOT_SYNCED, target.describe(), null, -1,
          "Dry run; " + placeName().toLowerCase(Locale.ROOT) + target.describe()
              + " used in place.");
    }
    return result;
  }

  private SyncResult notSynced(boolean failed) {
    return new SyncResult(SyncResult.Outcome.NOT_SYNCED, target.describe(), null, -1,
        readOnly ? "Read-only session; nothing uploaded."
            : placeName() + target.describe() + " used in place"
                + (failed ? "; it keeps what the run wrote." : "."));
  }

  /** A catalog in Postgres or MotherDuck is no local file, though it is used in place too. */
  private String placeName() {
    return switch (target.kind()) {
      case DUCKLAKE, DUCKDB -> "Local catalog ";
      case DUCKLAKE_POSTGRES, MOTHERDUCK -> "Catalog ";
    };
  }
}
