package dev.lea.sync;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.Sql;
import dev.lea.spi.LeaException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Attaching a DuckLake catalog under the fixed alias lea uses. */
final class DuckLake {

  private DuckLake() {}

  /** Loads {@code ducklake} and the extension its catalog format needs, before any lock is taken. */
  static void loadExtensions(Connection connection, String format, LeaConfig config) {
    checkOptions(format, config);
    DuckDb.load(connection, "ducklake", config);
    if (needsHttpfs(config.find(LeaSettings.DATA_PATH).orElse(""))) {
      DuckDb.load(connection, "httpfs", config);
    }
    if (format.equals("sqlite")) {
      DuckDb.load(connection, "sqlite", config);
    } else if (format.equals("postgres")) {
      DuckDb.load(connection, "postgres", config);
    }
  }

  /**
   * Refuses options DuckLake would only refuse at ATTACH, after the lock and the download: SQLite
   * has no schemas, so DuckLake cannot create a METADATA_SCHEMA there.
   */
  static void checkOptions(String format, LeaConfig config) {
    var schema = config.find(LeaSettings.METADATA_SCHEMA);
    if (schema.isPresent() && format.equals("sqlite")) {
      throw LeaException.user("Cannot use " + LeaSettings.METADATA_SCHEMA + " ("
          + LeaSettings.byProperty(LeaSettings.METADATA_SCHEMA).environmentName() + ") with a"
          + " sqlite catalog: SQLite has no schemas, so DuckLake cannot put its tables in '"
          + schema.get() + "'. Remove the setting, or use " + LeaSettings.CATALOG_FORMAT
          + "=duckdb.");
    }
  }

  /** Remote DATA_PATHs are read and written by DuckDB's httpfs extension. */
  static boolean needsHttpfs(String dataPath) {
    return dataPath.matches("(?i)^(s3|s3a|s3n|r2|gs|gcs|https?)://.*");
  }

  /** The ATTACH target: {@code ducklake:sqlite:<file>}, {@code ducklake:<file>} or Postgres. */
  static String catalogSpec(String format, String location) {
    return switch (format) {
      case "sqlite" -> "ducklake:sqlite:" + location;
      case "postgres" -> "ducklake:" + location;
      default -> "ducklake:" + location;
    };
  }

  /**
   * Attaches the catalog as {@value CatalogSession#DUCKLAKE_ALIAS} and makes it the default
   * database. A writable attach with {@code lea.ducklake.maintenance} on then deletes the files
   * scheduled for deletion ({@link #cleanupStatement}).
   *
   * @param exists whether the catalog already exists; a new one requires a DATA_PATH
   */
  static void attach(Connection connection, String spec, boolean exists, boolean readOnly,
      LeaConfig config) {
    List<String> options = new ArrayList<>();
    var dataPath = config.find(LeaSettings.DATA_PATH);
    if (!exists && dataPath.isEmpty()) {
      throw LeaException.user("Cannot create DuckLake catalog " + spec + ": "
          + LeaSettings.DATA_PATH + " (LEA_DUCKLAKE_DATA_PATH) is not set. Set it to where table"
          + " data should live.");
    }
    dataPath.ifPresent(path -> options.add("DATA_PATH " + Sql.literal(path)));
    options.addAll(passThroughOptions(config));
    if (readOnly) {
      options.add("READ_ONLY");
    }
    String sql = "ATTACH " + Sql.literal(spec) + " AS " + CatalogSession.DUCKLAKE_ALIAS
        + (options.isEmpty() ? "" : " (" + String.join(", ", options) + ")");
    try {
      Sql.execute(connection, sql);
      Sql.execute(connection, "USE " + CatalogSession.DUCKLAKE_ALIAS);
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot attach DuckLake catalog " + spec + ": "
          + Sql.firstLine(e.getMessage()), e);
    }
    if (!readOnly) {
      Optional<Duration> age = maintenanceAge(config);
      if (age.isPresent()) {
        run(connection, cleanupStatement(age.get()));
      }
    }
  }

  /** The DuckLake ATTACH options a user may set, in DuckLake's spelling, validated by type. */
  static List<String> passThroughOptions(LeaConfig config) {
    List<String> options = new ArrayList<>();
    config.integer(LeaSettings.SNAPSHOT_VERSION)
        .ifPresent(v -> options.add("SNAPSHOT_VERSION " + v));
    config.integer(LeaSettings.DATA_INLINING_ROW_LIMIT)
        .ifPresent(v -> options.add("DATA_INLINING_ROW_LIMIT " + v));
    config.find(LeaSettings.ENCRYPTED)
        .ifPresent(v -> options.add("ENCRYPTED " + Boolean.parseBoolean(v)));
    config.find(LeaSettings.METADATA_SCHEMA)
        .ifPresent(v -> options.add("METADATA_SCHEMA " + Sql.literal(v)));
    config.find(LeaSettings.OVERRIDE_DATA_PATH)
        .ifPresent(v -> options.add("OVERRIDE_DATA_PATH " + Boolean.parseBoolean(v)));
    return options;
  }

  /** How old snapshots and scheduled files must be for {@code lea.ducklake.maintenance=true}. */
  static final Duration MAINTENANCE_AGE_DEFAULT = Duration.ofDays(7);

  /**
   * {@code lea.ducklake.maintenance}: {@code false} (default), {@code true} (a week), or the age
   * as a duration ({@code P30D}, {@code 12h}). Checked before any network call.
   */
  static Optional<Duration> maintenanceAge(LeaConfig config) {
    String value = config.find(LeaSettings.MAINTENANCE).orElse("false").toLowerCase(Locale.ROOT);
    if (value.equals("false")) {
      return Optional.empty();
    }
    if (value.equals("true")) {
      return Optional.of(MAINTENANCE_AGE_DEFAULT);
    }
    try {
      Duration age = ConfigResolver.parseDuration(value);
      if (age.isNegative()) {
        throw new IllegalArgumentException(value);
      }
      return Optional.of(age);
    } catch (RuntimeException e) {
      throw LeaException.user("Cannot use '" + value + "' for " + LeaSettings.MAINTENANCE
          + " (LEA_DUCKLAKE_MAINTENANCE): valid values: false, true, or an age such as P30D or"
          + " 12h.");
    }
  }

  /**
   * DuckLake maintenance at the end of a successful run: expire snapshots older than {@code age}
   * and merge adjacent small files. The files this schedules for deletion are deleted by the next
   * maintained run ({@link #cleanupStatement}), not by this one: until this run's catalog is in
   * the bucket, the bucket's catalog still references them, and the upload may never happen (a
   * failed upload, another writer first).
   */
  static List<String> maintenanceStatements(Duration age) {
    String catalog = Sql.literal(CatalogSession.DUCKLAKE_ALIAS);
    return List.of(
        "CALL ducklake_expire_snapshots(" + catalog + ", older_than => " + olderThan(age) + ")",
        "CALL ducklake_merge_adjacent_files(" + catalog + ")");
  }

  /**
   * Deletes the files scheduled for deletion longer than {@code age} ago. Run right after a
   * writable attach, before the session changes anything: every file scheduled then was already
   * unreferenced in the catalog the session downloaded, hence in whatever catalog the bucket ends
   * up holding. It deletes only what this catalog scheduled, so another catalog sharing the data
   * path (a developer's {@code _<user>} catalog) keeps its files. DuckLake's own age filter is not
   * relied on for safety: with the SQLite catalog it also matched files scheduled later the same
   * day.
   */
  static String cleanupStatement(Duration age) {
    return "CALL ducklake_cleanup_old_files(" + Sql.literal(CatalogSession.DUCKLAKE_ALIAS)
        + ", older_than => " + olderThan(age) + ")";
  }

  private static String olderThan(Duration age) {
    return "now() - INTERVAL '" + age.toSeconds() + " seconds'";
  }

  /** Runs {@link #maintenanceStatements}; a failure is an infrastructure error naming the step. */
  static void maintain(Connection connection, Duration age) {
    for (String statement : maintenanceStatements(age)) {
      run(connection, statement);
    }
  }

  private static void run(Connection connection, String statement) {
    try {
      Sql.execute(connection, statement);
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot run DuckLake maintenance (" + statement + "): "
          + Sql.firstLine(e.getMessage()), e);
    }
  }

  /** Detaches the catalog so its file is closed and complete. */
  static void detach(Connection connection) throws SQLException {
    Sql.execute(connection, "USE memory");
    Sql.execute(connection, "DETACH " + CatalogSession.DUCKLAKE_ALIAS);
  }
}
