package dev.lea.runner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The warehouse behind the caller's connection: its current database (a DuckDB file or an attached
 * DuckLake after {@code USE}), and the runner's record of what it built there.
 */
final class Warehouse {

  static final String META_SCHEMA = "lea_meta";
  static final TableName STATE = new TableName(META_SCHEMA, "script_state");

  /** What the last published run of a script recorded. */
  record State(String hash, long runId) {}

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

  Map<TableName, State> states(Set<TableName> existing) throws SQLException {
    Map<TableName, State> states = new HashMap<>();
    if (!existing.contains(STATE)) {
      return states;
    }
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT table_name, sql_hash, run_id FROM "
            + STATE.sql())) {
      while (result.next()) {
        states.put(TableName.parse(result.getString(1)),
            new State(result.getString(2), result.getLong(3)));
      }
    }
    return states;
  }

  void ensureStateTable() throws SQLException {
    execute("CREATE SCHEMA IF NOT EXISTS " + TableName.quote(META_SCHEMA));
    execute("CREATE TABLE IF NOT EXISTS " + STATE.sql()
        + " (table_name VARCHAR, sql_hash VARCHAR, run_id BIGINT, run_at TIMESTAMP)");
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
        + " (table_name, sql_hash, run_id, run_at) VALUES (?, ?, ?, ?)")) {
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
