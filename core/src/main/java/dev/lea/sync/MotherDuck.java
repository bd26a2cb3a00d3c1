package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.Sql;
import dev.lea.spi.LeaException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * {@code lea.warehouse=motherduck}, as lea's conductor.py attaches it: {@code ATTACH 'md:'}, then
 * {@code CREATE DATABASE IF NOT EXISTS <database>} and {@code USE <database>}. The database lives
 * in MotherDuck, so nothing is synced: like a Postgres DuckLake catalog, the session uses it in
 * place. Untested against the live service (no network here); the offline path is.
 */
final class MotherDuck {

  /** Where lea's README tells users to put the token; DuckDB's extension reads it too. */
  static final String TOKEN_VARIABLE = "MOTHERDUCK_TOKEN";
  /** The spelling DuckDB's motherduck extension documents. */
  private static final String TOKEN_VARIABLE_LOWER = "motherduck_token";

  private MotherDuck() {}

  /**
   * The database a run writes: {@code lea.dataset} or the name of
   * {@code LEA_MOTHERDUCK_DATABASE} (lea takes its path stem), with lea's {@code _<username>}
   * unless {@code lea.production}.
   */
  static String database(LeaConfig config) {
    String configured = config.find(LeaSettings.MOTHERDUCK_DATABASE).orElseThrow(() ->
        LeaException.user("Cannot attach MotherDuck: " + LeaSettings.MOTHERDUCK_DATABASE
            + " (LEA_MOTHERDUCK_DATABASE) is not set. Set it to the database to write, as for"
            + " lea."));
    String base = config.find(LeaSettings.DATASET).orElseGet(() -> {
      String name = Path.of(configured).getFileName().toString();
      int dot = name.lastIndexOf('.');
      return dot > 0 ? name.substring(0, dot) : name;
    });
    return config.flag(LeaSettings.PRODUCTION) ? base : base + "_" + config.username();
  }

  /**
   * Opens an in-memory DuckDB with the configured extensions and secrets, attaches MotherDuck
   * and makes {@link #database} current. The token is never part of a message.
   */
  static Connection open(LeaConfig config) {
    String database = database(config);
    String token = token(config).orElseThrow(() -> LeaException.user("Cannot attach MotherDuck:"
        + " " + TOKEN_VARIABLE + " is not set, in the environment or the .env file. Create a"
        + " token at https://app.motherduck.com/settings/tokens and set " + TOKEN_VARIABLE
        + ", as for lea."));
    Connection connection = DuckDb.open(null, config);
    try {
      DuckDb.createSecrets(connection, config);
      DuckDb.load(connection, "motherduck", config);
      run(connection, "SET motherduck_token = " + Sql.literal(token), "set the token", token);
      run(connection, "ATTACH 'md:'", "attach md:", token);
      run(connection, "CREATE DATABASE IF NOT EXISTS " + Sql.identifier(database),
          "create the database " + database, token);
      run(connection, "USE " + Sql.identifier(database), "use the database " + database,
          token);
      return connection;
    } catch (RuntimeException e) {
      Sql.closeQuietly(connection);
      throw e;
    }
  }

  private static Optional<String> token(LeaConfig config) {
    for (String name : new String[] {TOKEN_VARIABLE, TOKEN_VARIABLE_LOWER}) {
      String value = config.environment().get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }

  private static void run(Connection connection, String sql, String step, String token) {
    try {
      Sql.execute(connection, sql);
    } catch (SQLException e) {
      // No cause attached: DuckDB's own message may echo the statement, token and all.
      throw LeaException.infrastructure("Cannot attach MotherDuck: could not " + step + ": "
          + Sql.firstLine(e.getMessage()).replace(token, "****") + ". Check "
          + TOKEN_VARIABLE + " and the network; the token is not shown.");
    }
  }
}
