package dev.lea.runner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.duckdb.DuckDBConnection;

/**
 * The warehouse behind the caller's connection: its current database (a DuckDB file or an attached
 * DuckLake after {@code USE}), and the runner's record of what it built there.
 */
final class Warehouse {

  static final String META_SCHEMA = "lea_meta";
  static final TableName STATE = new TableName(META_SCHEMA, "script_state");
  /**
   * lea's DuckDB client stamps every table it builds with this column and reads its maximum for
   * each table of the warehouse, so every table lea-java writes carries it too.
   */
  static final String MATERIALIZED_AT = "_materialized_timestamp";

  private final Connection connection;

  Warehouse(Connection connection) {
    this.connection = connection;
  }

  Connection connection() {
    return connection;
  }

  /** A new statement each time: DuckDB's JDBC driver closes a statement whose query failed. */
  void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  long count(TableName table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + table.sql())) {
      result.next();
      return result.getLong(1);
    }
  }

  /** Base tables of the current database; DuckDB's default schema {@code main} is the empty schema. */
  Set<TableName> tables() throws SQLException {
    Set<TableName> tables = new LinkedHashSet<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT schema_name, table_name"
            + " FROM duckdb_tables() WHERE database_name = current_database()")) {
      while (result.next()) {
        String schema = result.getString(1);
        tables.add(new TableName(schema.equalsIgnoreCase("main") ? "" : schema,
            result.getString(2)));
      }
    }
    return tables;
  }

  /**
   * True when other runs may write this warehouse while this one runs, with no lock keeping them
   * out: a DuckLake whose catalog is in Postgres (DuckDB names the attached catalog
   * {@code postgres:<conninfo>}).
   */
  boolean concurrentWriters() throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT type = 'ducklake' AND path LIKE"
            + " 'postgres:%' FROM duckdb_databases() WHERE database_name = current_database()")) {
      return result.next() && result.getBoolean(1);
    }
  }

  /**
   * When an audit table was built: lea's {@code MAX(_materialized_timestamp)}, local time read in
   * DuckDB's time zone as lea's DuckDB client reads it. An empty audit table counts as built now,
   * as in lea ({@code databases.py}, {@code list_table_stats}); one without the column (built by
   * something else) has no known age, so it is never resumed.
   */
  Optional<Instant> materializedAt(TableName table) throws SQLException {
    try (PreparedStatement columns = connection.prepareStatement("SELECT COUNT(*) FROM"
        + " duckdb_columns() WHERE database_name = current_database() AND schema_name = ? AND"
        + " table_name = ? AND column_name = ?")) {
      columns.setString(1, table.schema().isEmpty() ? "main" : table.schema());
      columns.setString(2, table.table());
      columns.setString(3, MATERIALIZED_AT);
      try (ResultSet result = columns.executeQuery()) {
        result.next();
        if (result.getLong(1) == 0) {
          return Optional.empty();
        }
      }
    }
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT epoch_ms(CAST(MAX("
            + TableName.quote(MATERIALIZED_AT) + ") AS TIMESTAMPTZ)) FROM " + table.sql())) {
      result.next();
      long millis = result.getLong(1);
      return Optional.of(result.wasNull() ? Instant.now() : Instant.ofEpochMilli(millis));
    }
  }

  /** The tables the runner published here (its record), so orphans are only ever its own. */
  Set<TableName> recorded(Set<TableName> existing) throws SQLException {
    Set<TableName> recorded = new LinkedHashSet<>();
    if (!existing.contains(STATE)) {
      return recorded;
    }
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT table_name FROM " + STATE.sql())) {
      while (result.next()) {
        recorded.add(TableName.parse(result.getString(1)));
      }
    }
    return recorded;
  }

  void ensureStateTable() throws SQLException {
    execute("CREATE SCHEMA IF NOT EXISTS " + TableName.quote(META_SCHEMA));
    execute("CREATE TABLE IF NOT EXISTS " + STATE.sql()
        + " (table_name VARCHAR, sql_hash VARCHAR, run_id BIGINT, run_at TIMESTAMP)");
    execute("ALTER TABLE " + STATE.sql() + " ADD COLUMN IF NOT EXISTS "
        + TableName.quote(MATERIALIZED_AT) + " TIMESTAMP");
  }

  long nextRunId() throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COALESCE(MAX(run_id), 0) + 1 FROM "
            + STATE.sql())) {
      result.next();
      return result.getLong(1);
    }
  }

  void record(TableName table, String hash, long runId, Instant at) throws SQLException {
    forget(table);
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + STATE.sql()
        + " (table_name, sql_hash, run_id, run_at, " + TableName.quote(MATERIALIZED_AT)
        + ") VALUES (?, ?, ?, ?, CURRENT_LOCALTIMESTAMP())")) {
      insert.setString(1, table.toString());
      insert.setString(2, hash);
      insert.setLong(3, runId);
      insert.setTimestamp(4, Timestamp.from(at));
      insert.executeUpdate();
    }
  }

  void forget(TableName table) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + STATE.sql()
        + " WHERE lower(table_name) = ?")) {
      delete.setString(1, table.key());
      delete.executeUpdate();
    }
  }

  void drop(Collection<TableName> tables) throws SQLException {
    for (TableName table : tables) {
      execute("DROP TABLE IF EXISTS " + table.sql());
    }
  }

  /**
   * Why the scripts of a run cannot run side by side on connections duplicated from this one, or
   * empty when they can. A DuckLake catalog in SQLite fails concurrent commits of one DuckDB
   * instance with "database is locked" (DuckDB's sqlite extension takes one writer, and a busy
   * timeout does not help: measured on DuckLake 1.0 with DuckDB 1.5.5.1).
   */
  Optional<String> oneAtATime() throws SQLException {
    if (!connection.isWrapperFor(DuckDBConnection.class)) {
      return Optional.of("the connection is not DuckDB's own, so it cannot be duplicated");
    }
    if (!connection.getAutoCommit()) {
      return Optional.of("the connection is inside a transaction, which other connections"
          + " cannot see");
    }
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT path FROM duckdb_databases()"
            + " WHERE database_name = current_database() AND type = 'ducklake'")) {
      if (result.next() && String.valueOf(result.getString(1)).startsWith("sqlite:")) {
        return Optional.of("a DuckLake catalog in SQLite takes one writer at a time");
      }
    }
    return Optional.empty();
  }

  /**
   * A new connection of the same DuckDB instance (the attached DuckLake, secrets and extensions
   * are shared), on this connection's database, schema and file search path; the caller closes it.
   */
  Warehouse duplicate() throws SQLException {
    String database;
    String schema;
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(
            "SELECT current_database(), current_schema()")) {
      result.next();
      database = result.getString(1);
      schema = result.getString(2);
    }
    String searchPath = setting("file_search_path");
    Connection copy = connection.unwrap(DuckDBConnection.class).duplicate();
    try {
      Warehouse warehouse = new Warehouse(copy);
      warehouse.execute("USE " + TableName.quote(database) + "." + TableName.quote(schema));
      warehouse.execute("SET file_search_path = " + TableName.literal(searchPath));
      return warehouse;
    } catch (SQLException e) {
      try {
        copy.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  String setting(String name) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT current_setting(?)")) {
      query.setString(1, name);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        String value = result.getString(1);
        return value == null ? "" : value;
      }
    }
  }
}
