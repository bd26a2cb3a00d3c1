package dev.lea;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.config.ResolvedValue;
import dev.lea.config.Source;
import dev.lea.internal.LibraryLogging;
import dev.lea.internal.Sql;
import dev.lea.lock.LockInfo;
import dev.lea.lock.LockStrategies;
import dev.lea.lock.LockStrategy;
import dev.lea.policy.FailurePolicies;
import dev.lea.runner.LeaRunner;
import dev.lea.runner.RunResult;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.sync.SyncResult;
import dev.lea.transport.CatalogMetadata;
import dev.lea.transport.CatalogTransports;
import dev.lea.transport.GcResult;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The operations a front-end offers (the Maven goals call exactly these): run a lea project, show
 * the status of its catalog, break a lock, compare transports. Each takes resolved configuration
 * and a reporter; what each prints, returns as text or throws passes through a {@link Scrubber}
 * first.
 */
public final class Lea {

  /**
   * Settings only a DuckLake reads; the sync settings named {@code lea.ducklake.*} (transport,
   * lock, failure policy) move a plain DuckDB warehouse file too.
   */
  private static final Set<String> DUCKLAKE_ONLY = Set.of(LeaSettings.CATALOG_URL,
      LeaSettings.CATALOG_DATABASE, LeaSettings.DATA_PATH, LeaSettings.CATALOG_FORMAT,
      LeaSettings.SNAPSHOT_VERSION, LeaSettings.DATA_INLINING_ROW_LIMIT, LeaSettings.ENCRYPTED,
      LeaSettings.METADATA_SCHEMA, LeaSettings.OVERRIDE_DATA_PATH, LeaSettings.MAINTENANCE,
      LeaSettings.DUCKLAKE_SECRET, LeaSettings.DUCKLAKE_S3_ENDPOINT);

  static {
    LibraryLogging.quietWithoutBinding();
  }

  private Lea() {}

  /**
   * Runs the project's scripts against its warehouse in one catalog session: lock, download, run
   * with write-audit-publish, upload (or the failure policy), release.
   *
   * @throws LeaException when the run fails; the message names the failing script and says where
   *     the catalog went
   */
  public static RunResult run(LeaConfig config, Reporter reporter) {
    return run(config, reporter, null);
  }

  /**
   * {@link #run(LeaConfig, Reporter)}, and writes the {@link RunReports} into
   * {@code reportsDirectory} once the scripts ran, whether they passed or failed.
   */
  public static RunResult run(LeaConfig config, Reporter reporter, Path reportsDirectory) {
    Scrubber scrubber = Scrubber.of(config);
    Reporter scrubbed = scrubber.wrap(reporter);
    Reports reports = new Reports(reportsDirectory, Instant.now(), scrubber, scrubbed);
    return scrubber.guard(() -> runScrubbed(config, scrubbed, reports));
  }

  /** Where the reports go, if anywhere; failing to write them warns and never fails the run. */
  private record Reports(Path directory, Instant started, Scrubber scrubber, Reporter reporter) {

    void write(RunResult result, SyncResult sync) {
      if (directory == null) {
        return;
      }
      try {
        RunReports.write(directory, result, sync, started, scrubber::scrub);
      } catch (IOException | RuntimeException e) {
        reporter.warn("Cannot write the run's reports to " + directory + ": " + e.getMessage());
      }
    }
  }

  private static RunResult runScrubbed(LeaConfig config, Reporter reporter, Reports reports) {
    checkImplementations(config);
    if (config.flag(LeaSettings.PRINT)) {
      return LeaRunner.print(config, reporter);
    }
    LeaConfig effective = LeaRunner.devEnvironment(config);
    reporter.info(LeaRunner.describeEnvironment(config, effective));
    boolean dryRun = effective.flag(LeaSettings.DRY_RUN);
    if (dryRun && CatalogSync.remoteCatalog(effective).isPresent() && !remoteExists(effective)) {
      // Nothing to download yet: build and test against an empty warehouse, touching nothing
      // remote.
      try (Connection empty = CatalogSync.openInMemory(effective)) {
        RunResult result = LeaRunner.run(empty, effective, reporter);
        reports.write(result, null);
        return result;
      } catch (SQLException e) {
        throw LeaException.infrastructure("Cannot plan the run: " + e.getMessage(), e);
      }
    }
    try (CatalogSession session = CatalogSync.open(effective, reporter)) {
      CatalogSync.remoteCatalog(effective).ifPresent(location ->
          reporter.info(lockLine(effective, location, session.runId())));
      RunResult result;
      try {
        result = LeaRunner.run(session.connection(), effective, reporter);
      } catch (RuntimeException e) {
        SyncResult sync = session.fail(e);
        String message = e instanceof LeaException ? e.getMessage() : "Cannot run the scripts: "
            + e;
        LeaException.Kind kind = e instanceof LeaException lea ? lea.kind()
            : LeaException.Kind.INFRASTRUCTURE;
        throw new LeaException(kind, message + "\n" + sync.message(), e);
      }
      if (dryRun) {
        SyncResult sync = session.discard();
        reports.write(result, sync);
        result.throwIfFailed();
        reporter.info(sync.message());
        return result;
      }
      if (!result.succeeded()) {
        String failure = result.failureMessage().orElse("The run failed.");
        SyncResult sync = session.fail(LeaException.run(failure, null));
        reports.write(result, sync);
        throw new LeaException(LeaException.Kind.RUN, failure + "\n" + sync.message());
      }
      SyncResult sync = session.commit();
      reports.write(result, sync);
      reporter.info(sync.message());
      return result;
    }
  }

  /**
   * The resolved configuration with the source of each value (secrets masked), then the remote
   * catalog's size, version, last writer and lock state.
   */
  public static List<String> status(LeaConfig config) {
    Scrubber scrubber = Scrubber.of(config);
    return scrubber.guard(() -> {
      List<String> lines = new ArrayList<>(statusScrubbed(config));
      lines.addAll(CatalogSync.leftovers(config));
      return lines;
    }).stream().map(scrubber::scrub).toList();
  }

  private static List<String> statusScrubbed(LeaConfig config) {
    LeaConfig effective = effective(config);
    List<String> lines = new ArrayList<>();
    lines.add("Configuration (project " + effective.projectDirectory() + "):");
    boolean plainDuckDb = effective.warehouse().equals("duckdb");
    for (ResolvedValue value : effective.describe()) {
      boolean duckLakeOnly = DUCKLAKE_ONLY.contains(value.setting().property());
      if (value.source() == Source.DEFAULT
          && (value.value() == null || plainDuckDb && duckLakeOnly)) {
        continue;
      }
      lines.add(String.format("  %-36s %-28s (%s)", value.setting().property(), value.display(),
          value.source().label() + (plainDuckDb && duckLakeOnly
              ? "; not used by a plain DuckDB warehouse" : "")));
    }
    lines.add("  warehouse (effective)                " + effective.warehouse());
    Optional<Location> remote = CatalogSync.remoteCatalog(effective);
    if (remote.isEmpty()) {
      Optional<String> postgres = CatalogSync.postgresCatalog(effective);
      if (postgres.isPresent()) {
        lines.addAll(postgresStatus(effective, postgres.get()));
      } else {
        lines.add("Catalog: local, not synced.");
      }
      return lines;
    }
    Location location = remote.get();
    LockStrategy lockStrategy = LockStrategies.configured(effective);
    onStore(location, effective, "read the status of", store -> {
      Optional<ObjectInfo> head = store.head(location.key());
      if (head.isEmpty()) {
        lines.add("Catalog " + location + ": does not exist yet (the first run creates it).");
      } else {
        ObjectInfo info = head.get();
        lines.add("Catalog " + location + ":");
        lines.add("  size          " + info.size() + " bytes stored"
            + Optional.ofNullable(info.metadata().get(CatalogMetadata.SIZE))
                .map(s -> ", " + s + " bytes uncompressed").orElse(""));
        lines.add("  version       " + info.version());
        lines.add("  modified      " + info.lastModified());
        lines.add("  last writer   "
            + info.metadata().getOrDefault(CatalogMetadata.WRITER, "(unknown)"));
        lines.add("  format        " + info.metadata().getOrDefault(CatalogMetadata.FORMAT, "?")
            + ", transport " + info.metadata().getOrDefault(CatalogMetadata.TRANSPORT, "?")
            + ", compression " + info.metadata().getOrDefault(CatalogMetadata.COMPRESSION, "?"));
      }
      lines.add(lockStrategy.inspect(store, location.key())
          .map(lock -> "Lock: " + lock.summary(Instant.now())).orElse("Lock: free."));
      return null;
    });
    return lines;
  }

  /**
   * A Postgres catalog has no object to describe and no lock (each writer commits its own
   * transaction in Postgres), so its status is what DuckLake itself records: the snapshots.
   */
  private static List<String> postgresStatus(LeaConfig config, String catalog) {
    try (CatalogSession session = CatalogSync.open(config.with(LeaSettings.READ_ONLY, "true"));
        Statement statement = session.connection().createStatement();
        ResultSet snapshots = statement.executeQuery("SELECT count(*), max(snapshot_id),"
            + " max(snapshot_time) FROM ducklake_snapshots("
            + Sql.literal(CatalogSession.DUCKLAKE_ALIAS) + ")")) {
      snapshots.next();
      List<String> lines = List.of("Catalog " + catalog + ":",
          "  snapshots     " + snapshots.getLong(1) + " (latest " + snapshots.getLong(2) + " at "
              + snapshots.getObject(3) + ")",
          "  shared in place by every writer; no sync, no lock.");
      session.commit();
      return lines;
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot read the status of " + catalog + ": "
          + e.getMessage(), e);
    }
  }

  /** Breaks the catalog's lock if its id is {@code id}; refuses any other lock. */
  public static void unlock(LeaConfig config, String id, Reporter reporter) {
    scrubbed(config, reporter, scrubbed -> {
      unlockScrubbed(config, id, scrubbed);
      return null;
    });
  }

  private static void unlockScrubbed(LeaConfig config, String id, Reporter reporter) {
    LeaConfig effective = effective(config);
    Location location = requiredRemote(effective, "break a lock", "");
    LockStrategy lockStrategy = LockStrategies.configured(effective);
    onStore(location, effective, "break the lock of", store -> {
      LockInfo broken = lockStrategy.breakLock(store, location.key(), id);
      reporter.info("Broke the lock " + broken.id() + " of " + location + " held by "
          + broken.who() + " since " + broken.created() + ".");
      return null;
    });
  }

  /**
   * Deletes chunks of a {@code chunked} catalog that its manifest no longer references and that
   * are older than {@code lea.gc.grace}; safe while another run uploads.
   */
  public static GcResult gc(LeaConfig config, Reporter reporter) {
    return scrubbed(config, reporter, scrubbed -> gcScrubbed(config, scrubbed));
  }

  private static GcResult gcScrubbed(LeaConfig config, Reporter reporter) {
    LeaConfig effective = effective(config);
    Location location = requiredRemote(effective, "collect chunks", "");
    return onStore(location, effective, "collect chunks of", store -> {
      GcResult result = CatalogTransports.collectGarbage(store, location.key(),
          effective.duration(LeaSettings.GC_GRACE));
      reporter.info("Collected chunks of " + location + ": " + result.deleted().size()
          + " deleted (" + result.deletedBytes() + " bytes), " + result.referenced()
          + " referenced, " + result.keptWithinGrace() + " unreferenced kept within the grace"
          + " period of " + effective.get(LeaSettings.GC_GRACE) + ".");
      return result;
    });
  }

  /**
   * Round-trips the catalog (or a generated one of {@code lea.benchmark.size}) through every
   * transport against the configured store, under a scratch prefix beside the catalog that is
   * deleted afterwards; prints the table and a recommendation. The catalog and its lock are only
   * read.
   */
  public static BenchmarkResult benchmark(LeaConfig config, Reporter reporter) {
    return scrubbed(config, reporter, scrubbed -> benchmarkScrubbed(config, scrubbed));
  }

  private static BenchmarkResult benchmarkScrubbed(LeaConfig config, Reporter reporter) {
    LeaConfig effective = effective(config);
    Location location = requiredRemote(effective, "benchmark transports",
        " to the bucket to measure");
    String format = effective.warehouse().equals("duckdb") ? "duckdb-warehouse"
        : effective.get(LeaSettings.CATALOG_FORMAT);
    return onStore(location, effective, "benchmark transports against", store -> {
      BenchmarkResult result =
          new TransportBenchmark(store, location, format, effective, reporter).run();
      result.lines().forEach(reporter::info);
      return result;
    });
  }

  /**
   * Opens a session on the project's warehouse under the name {@link #run} and the Maven goals
   * use: unless {@code lea.production=true}, the developer's own copy, suffixed
   * {@code _<lea.username>} as lea names it ({@code warehouse.duckdb} is
   * {@code warehouse_max.duckdb} for max). {@link CatalogSync#open} opens exactly the configured
   * location instead. The caller commits or fails the session as with {@code CatalogSync}.
   */
  public static CatalogSession open(LeaConfig config, Reporter reporter) {
    return scrubbed(config, reporter, scrubbed -> CatalogSync.open(effective(config), scrubbed));
  }

  /** Runs {@code work} with a scrubbed reporter; what it throws leaves scrubbed too. */
  private static <T> T scrubbed(LeaConfig config, Reporter reporter,
      Function<Reporter, T> work) {
    Scrubber scrubber = Scrubber.of(config);
    return scrubber.guard(() -> work.apply(scrubber.wrap(reporter)));
  }

  /** What a goal does with the store that holds the remote catalog. */
  @FunctionalInterface
  private interface StoreWork<T> {
    T apply(ObjectStore store) throws IOException;
  }

  /**
   * Runs {@code work} on the store of {@code location}, closing it after; an I/O failure says it
   * could not {@code action} the location.
   */
  private static <T> T onStore(Location location, LeaConfig config, String action,
      StoreWork<T> work) {
    try (ObjectStore store = ObjectStores.open(location, config)) {
      return work.apply(store);
    } catch (IOException e) {
      throw LeaException.infrastructure("Cannot " + action + " " + location + ": "
          + e.getMessage(), e);
    }
  }

  /** The configuration a goal works with: checked, with lea's dev suffix applied. */
  private static LeaConfig effective(LeaConfig config) {
    checkImplementations(config);
    return LeaRunner.devEnvironment(config);
  }

  /**
   * Looks up the lock strategy, transport and failure policy the configuration names, so a name
   * no jar provides fails every goal before anything is read, locked or run, even where the goal
   * would not use it.
   */
  private static void checkImplementations(LeaConfig config) {
    LockStrategies.configured(config);
    CatalogTransports.configured(config);
    FailurePolicies.configured(config);
  }

  private static Location requiredRemote(LeaConfig config, String action, String where) {
    return CatalogSync.remoteCatalog(config).orElseThrow(() -> LeaException.user("Cannot "
        + action + ": no remote catalog is configured (set lea.ducklake.catalogUrl or a"
        + " lea.duckdb.path URL" + where + ")."));
  }

  /** Which coordination this run holds while it runs, said once near the top of its output. */
  private static String lockLine(LeaConfig config, Location location, String runId) {
    if (config.flag(LeaSettings.READ_ONLY)) {
      return "No lock (" + LeaSettings.READ_ONLY + "=true): nothing is uploaded.";
    }
    return LockStrategies.configured(config).describeHold(location, runId);
  }

  private static boolean remoteExists(LeaConfig config) {
    Location location = CatalogSync.remoteCatalog(config).orElseThrow();
    return onStore(location, config, "read", store -> store.head(location.key()).isPresent());
  }
}
