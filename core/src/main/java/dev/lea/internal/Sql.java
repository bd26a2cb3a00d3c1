package dev.lea.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQL text and JDBC chores shared by every layer that speaks SQL (the DuckDB setup, the
 * parquet-blob transport, the sessions, the runner), none of which is DuckDB's own business.
 */
public final class Sql {

  private Sql() {}

  /** A SQL string literal. */
  public static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** A SQL identifier, quoted. */
  public static String identifier(String value) {
    return "\"" + value.replace("\"", "\"\"") + "\"";
  }

  public static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  public static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing after a failure: the original error is the one worth reporting.
      }
    }
  }

  public static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }
}
