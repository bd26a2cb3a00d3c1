package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.internal.Sql;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * A session's DuckDB connection with the warehouse attached, and the one way to close it so the
 * database file is complete: a checkpoint for a DuckDB file, a detach for a DuckLake catalog.
 */
final class OpenCatalog {

  private static final int POSTGRES_CREATE_ATTEMPTS = 3;

  private final CatalogTarget target;
  private final boolean readOnly;
  private final LeaConfig config;
  private Connection connection;
  /** The attached DuckDB file, for a plain DuckDB warehouse; else null. */
  private Path database;

  private OpenCatalog(CatalogTarget target, boolean readOnly, LeaConfig config,
      Connection connection) {
    this.target = target;
    this.readOnly = readOnly;
    this.config = config;
    this.connection = connection;
  }

  /**
   * A DuckLake needs an in-memory DuckDB with its extensions and secrets before the attach; doing
   * that first makes a missing extension fail before any lock is taken or byte downloaded.
   */
  static OpenCatalog prepare(CatalogTarget target, boolean readOnly, LeaConfig config) {
    if (target.kind() == CatalogTarget.Kind.DUCKDB
        || target.kind() == CatalogTarget.Kind.MOTHERDUCK) {
      return new OpenCatalog(target, readOnly, config, null);
    }
    Connection memory = DuckDb.open(null, config);
    try {
      DuckLake.loadExtensions(memory, target.format(), config);
      // Secrets first: the attach may already need them to reach the data path.
      DuckDb.createSecrets(memory, config);
    } catch (RuntimeException e) {
      Sql.closeQuietly(memory);
      throw e;
    }
    return new OpenCatalog(target, readOnly, config, memory);
  }

  /**
   * Attaches the warehouse at {@code location}: a DuckDB file, or the DuckLake catalog (a SQLite
   * or DuckDB file, or a Postgres connection string).
   */
  void attach(String location, boolean exists) {
    if (target.kind() == CatalogTarget.Kind.MOTHERDUCK) {
      connection = MotherDuck.open(config);
    } else if (target.kind() == CatalogTarget.Kind.DUCKDB) {
      connection = DuckDb.open(location, config);
      database = Path.of(location);
      DuckDb.createSecrets(connection, config);
    } else if (target.kind() == CatalogTarget.Kind.DUCKLAKE_POSTGRES) {
      attachPostgres(location, exists);
    } else {
      DuckLake.attach(connection, DuckLake.catalogSpec(target.format(), location), exists,
          readOnly, config);
    }
  }

  /**
   * Writers that find a Postgres database without DuckLake's tables at the same moment all create
   * them; Postgres lets one commit and fails the others on its own unique indexes. Once the winner
   * has committed the tables exist, so a loser attaches again and finds them.
   */
  private void attachPostgres(String location, boolean exists) {
    String spec = DuckLake.catalogSpec(target.format(), location);
    for (int attempt = 1; ; attempt++) {
      try {
        DuckLake.attach(connection, spec, exists, readOnly, config);
        return;
      } catch (LeaException e) {
        if (attempt == POSTGRES_CREATE_ATTEMPTS || !lostCreateRace(e.getMessage())) {
          throw e;
        }
      }
    }
  }

  static boolean lostCreateRace(String message) {
    return message.contains("Failed to initialize DuckLake")
        && (message.contains("duplicate key value") || message.contains("already exists"));
  }

  Connection connection() {
    if (connection == null) {
      throw new IllegalStateException("The session is finished");
    }
    return connection;
  }

  void maintain(Duration age, Reporter reporter) {
    if (age == null || connection == null || readOnly) {
      return;
    }
    reporter.info("Running DuckLake maintenance (expire and clean up older than " + age
        + ", merge adjacent files)");
    DuckLake.maintain(connection, age);
  }

  /**
   * Closes the connection. Empty when the file is complete; else what went wrong (a checkpoint
   * that failed, e.g. on a full disk), and the file needs its write-ahead log beside it.
   */
  Optional<String> close() {
    if (connection == null) {
      return Optional.empty();
    }
    Connection closing = connection;
    connection = null;
    try {
      if (target.kind() == CatalogTarget.Kind.DUCKDB) {
        if (!readOnly && hasWriteAheadLog()) {
          Sql.execute(closing, "CHECKPOINT");
        }
      } else if (target.kind() != CatalogTarget.Kind.MOTHERDUCK) {
        DuckLake.detach(closing);
      }
      closing.close();
      return Optional.empty();
    } catch (SQLException e) {
      Sql.closeQuietly(closing);
      return Optional.of(String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip());
    }
  }

  /**
   * DuckDB writes a committed change to the write-ahead log first and deletes the log once a
   * checkpoint has put everything in the file, so without a log there is nothing a checkpoint
   * could fail to write, and the one the close does is a no-op. An unchanged session skips it.
   */
  private boolean hasWriteAheadLog() {
    return database == null
        || Files.exists(database.resolveSibling(database.getFileName() + ".wal"));
  }

  /** Whether a plain DuckDB warehouse is attached: a DuckLake's connection exists before. */
  boolean attached() {
    return database != null && connection != null;
  }

  void closeQuietly() {
    Sql.closeQuietly(connection);
    connection = null;
    if (target.kind() == CatalogTarget.Kind.DUCKDB) {
      database = null;
    }
  }
}
