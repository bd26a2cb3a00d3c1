package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The session tests' catalog: {@code warehouse.duckdb} in a {@code file:} bucket under the test's
 * directory, with its cache and work directory beside it, and what the tests do to it.
 */
final class SessionFixtures {

  private SessionFixtures() {}

  static Path bucket(Path dir) {
    return dir.resolve("bucket");
  }

  static Path remote(Path dir) {
    return bucket(dir).resolve("warehouse.duckdb");
  }

  static LeaConfig config(Path dir) {
    return LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote(dir))
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString())
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
  }

  /** Commits a catalog with one table, {@code seeded}. */
  static void seed(LeaConfig config) throws Exception {
    try (CatalogSession session = CatalogSync.open(config)) {
      sql(session.connection(), "CREATE TABLE seeded AS SELECT 1 AS x");
      session.commit();
    }
  }

  /** The catalog's tables, sorted, as a read-only session sees them. */
  static List<String> tables(LeaConfig config) throws Exception {
    List<String> names = new ArrayList<>();
    try (CatalogSession session = CatalogSync.open(config.with(LeaSettings.READ_ONLY, "true"));
        Statement s = session.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT table_name FROM duckdb_tables() ORDER BY 1")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      session.commit();
    }
    return names;
  }

  static void sql(Connection connection, String statement) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(statement);
    }
  }

  static long count(Connection connection, String table) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
