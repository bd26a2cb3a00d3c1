package dev.lea.duckdb;

import dev.lea.LeaException;
import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;

/** Attaching a DuckLake catalog under the fixed alias lea uses. */
public final class DuckLake {

  private DuckLake() {}

  /** Loads {@code ducklake} and the extension its catalog format needs, before any lock is taken. */
  public static void loadExtensions(Connection connection, String format, LeaConfig config) {
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

  /** Remote DATA_PATHs are read and written by DuckDB's httpfs extension. */
  static boolean needsHttpfs(String dataPath) {
    return dataPath.matches("(?i)^(s3|s3a|s3n|r2|gs|gcs|https?)://.*");
  }

  /** The ATTACH target: {@code ducklake:sqlite:<file>}, {@code ducklake:<file>} or Postgres. */
  public static String catalogSpec(String format, String location) {
    return switch (format) {
      case "sqlite" -> "ducklake:sqlite:" + location;
      case "postgres" -> "ducklake:" + location;
      default -> "ducklake:" + location;
    };
  }

  /**
   * Attaches the catalog as {@value DuckDb#DUCKLAKE_ALIAS} and makes it the default database.
   *
   * @param exists whether the catalog already exists; a new one requires a DATA_PATH
   */
  public static void attach(Connection connection, String spec, boolean exists, boolean readOnly,
      LeaConfig config) {
    List<String> options = new ArrayList<>();
    var dataPath = config.find(LeaSettings.DATA_PATH);
    if (!exists && dataPath.isEmpty()) {
      throw LeaException.user("Cannot create DuckLake catalog " + spec + ": "
          + LeaSettings.DATA_PATH + " (LEA_DUCKLAKE_DATA_PATH) is not set. Set it to where table"
          + " data should live.");
    }
    dataPath.ifPresent(path -> options.add("DATA_PATH " + DuckDb.literal(path)));
    options.addAll(passThroughOptions(config));
    if (readOnly) {
      options.add("READ_ONLY");
    }
    String sql = "ATTACH " + DuckDb.literal(spec) + " AS " + DuckDb.DUCKLAKE_ALIAS
        + (options.isEmpty() ? "" : " (" + String.join(", ", options) + ")");
    try {
      DuckDb.execute(connection, sql);
      DuckDb.execute(connection, "USE " + DuckDb.DUCKLAKE_ALIAS);
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot attach DuckLake catalog " + spec + ": "
          + DuckDb.firstLine(e.getMessage()), e);
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
        .ifPresent(v -> options.add("METADATA_SCHEMA " + DuckDb.literal(v)));
    config.find(LeaSettings.OVERRIDE_DATA_PATH)
        .ifPresent(v -> options.add("OVERRIDE_DATA_PATH " + Boolean.parseBoolean(v)));
    return options;
  }

  /** How old snapshots and scheduled files must be for {@code lea.ducklake.maintenance=true}. */
  public static final Duration MAINTENANCE_AGE_DEFAULT = Duration.ofDays(7);

  /**
   * {@code lea.ducklake.maintenance}: {@code false} (default), {@code true} (a week), or the age
   * as a duration ({@code P30D}, {@code 12h}). Checked before any network call.
   */
  public static Optional<Duration> maintenanceAge(LeaConfig config) {
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
   * DuckLake maintenance after a successful run: expire snapshots older than {@code age}, merge
   * adjacent small files, and delete files scheduled for deletion longer than {@code age} ago.
   * The statements DuckLake documents, in the order its CHECKPOINT runs them.
   */
  public static List<String> maintenanceStatements(Duration age) {
    String olderThan = "now() - INTERVAL '" + age.toSeconds() + " seconds'";
    String catalog = DuckDb.literal(DuckDb.DUCKLAKE_ALIAS);
    return List.of(
        "CALL ducklake_expire_snapshots(" + catalog + ", older_than => " + olderThan + ")",
        "CALL ducklake_merge_adjacent_files(" + catalog + ")",
        "CALL ducklake_cleanup_old_files(" + catalog + ", older_than => " + olderThan + ")");
  }

  /** Runs {@link #maintenanceStatements}; a failure is an infrastructure error naming the step. */
  public static void maintain(Connection connection, Duration age) {
    for (String statement : maintenanceStatements(age)) {
      try {
        DuckDb.execute(connection, statement);
      } catch (SQLException e) {
        throw LeaException.infrastructure("Cannot run DuckLake maintenance (" + statement + "): "
            + DuckDb.firstLine(e.getMessage()), e);
      }
    }
  }

  /** Detaches the catalog so its file is closed and complete. */
  public static void detach(Connection connection) throws SQLException {
    DuckDb.execute(connection, "USE memory");
    DuckDb.execute(connection, "DETACH " + DuckDb.DUCKLAKE_ALIAS);
  }
}
