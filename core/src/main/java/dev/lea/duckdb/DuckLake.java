package dev.lea.duckdb;

import dev.lea.LeaException;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Attaching a DuckLake catalog under the fixed alias lea uses. */
public final class DuckLake {

  private DuckLake() {}

  /** Loads {@code ducklake} and the extension its catalog format needs, before any lock is taken. */
  public static void loadExtensions(Connection connection, String format, LeaConfig config) {
    DuckDb.load(connection, "ducklake", config);
    if (format.equals("sqlite")) {
      DuckDb.load(connection, "sqlite", config);
    } else if (format.equals("postgres")) {
      DuckDb.load(connection, "postgres", config);
    }
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

  /** Detaches the catalog so its file is closed and complete. */
  public static void detach(Connection connection) throws SQLException {
    DuckDb.execute(connection, "USE memory");
    DuckDb.execute(connection, "DETACH " + DuckDb.DUCKLAKE_ALIAS);
  }
}
