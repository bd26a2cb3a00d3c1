package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.Sql;
import dev.lea.spi.LeaException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens DuckDB connections the way every front-end needs them: extension settings for offline and
 * mirrored setups applied first, extensions loaded with one clear error when they cannot be, and
 * secrets created without ever echoing their values.
 */
final class DuckDb {

  private static final String EXTENSION_ADVICE = "DuckDB installs extensions from its repository"
      + " on first use. Offline or mirrored setups set LEA_DUCKDB_EXTENSION_DIRECTORY"
      + " (lea.duckdb.extensionDirectory, a folder holding the installed extension files),"
      + " LEA_DUCKDB_EXTENSION_REPOSITORY (lea.duckdb.extensionRepository, a mirror URL)"
      + " and, for locally built extensions, LEA_DUCKDB_ALLOW_UNSIGNED_EXTENSIONS=true.";

  private static final Pattern SECRET_TYPE =
      Pattern.compile("(?i)(?:^|[\\s,(])TYPE\\s+'?([A-Za-z0-9_]+)");

  /** The extension that defines each secret type DuckDB does not have built in. */
  private static final Map<String, String> SECRET_TYPE_EXTENSIONS = Map.of(
      "s3", "httpfs", "r2", "httpfs", "gcs", "httpfs", "http", "httpfs", "huggingface", "httpfs",
      "azure", "azure", "gsheet", "gsheets", "postgres", "postgres", "mysql", "mysql");

  private DuckDb() {}

  /**
   * Opens a DuckDB database: a file path, or {@code null} for an in-memory database (the host for
   * a DuckLake attach).
   */
  static Connection open(String databaseFile, LeaConfig config) {
    Properties properties = new Properties();
    if (config.flag(LeaSettings.ALLOW_UNSIGNED_EXTENSIONS)) {
      properties.setProperty("allow_unsigned_extensions", "true");
    }
    config.find(LeaSettings.EXTENSION_DIRECTORY).ifPresent(dir ->
        properties.setProperty("extension_directory", dir));
    String url = "jdbc:duckdb:" + (databaseFile == null ? "" : databaseFile);
    Connection connection;
    try {
      connection = DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot open DuckDB database "
          + (databaseFile == null ? "(in memory)" : databaseFile) + ": " + e.getMessage(), e);
    }
    try {
      var repository = config.find(LeaSettings.EXTENSION_REPOSITORY);
      if (repository.isPresent()) {
        Sql.execute(connection,
            "SET custom_extension_repository = " + Sql.literal(repository.get()));
      }
      List<String> extensions = new ArrayList<>();
      for (String name : config.find(LeaSettings.DUCKDB_EXTENSIONS).orElse("").split(",")) {
        if (!name.isBlank()) {
          extensions.add(name.trim());
        }
      }
      for (String extension : extensions) {
        load(connection, extension, config);
      }
      return connection;
    } catch (RuntimeException | SQLException e) {
      Sql.closeQuietly(connection);
      if (e instanceof LeaException lea) {
        throw lea;
      }
      throw LeaException.infrastructure("Cannot configure DuckDB: " + e.getMessage(), e);
    }
  }

  /**
   * Loads an extension, installing it first when it is not installed yet. Fails with a message
   * that names the extension, DuckDB's reason and the settings for offline setups.
   */
  static void load(Connection connection, String extension, LeaConfig config) {
    if (!extension.matches("[A-Za-z0-9_]+")) {
      throw LeaException.user("Cannot load DuckDB extension '" + extension
          + "': extension names are letters, digits and underscores.");
    }
    try {
      loadOrInstall(connection, extension);
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot load DuckDB extension '" + extension + "': "
          + Sql.firstLine(e.getMessage()) + ". " + whereSearched(connection, extension)
          + EXTENSION_ADVICE, e);
    }
  }

  /**
   * Where DuckDB looked for the extension, as the path it expects, so an offline setup knows
   * exactly where to put the file. Version and platform come from the running DuckDB, since the
   * layout changes with each.
   */
  private static String whereSearched(Connection connection, String extension) {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT current_setting('extension_directory'),"
            + " current_setting('home_directory'),"
            + " (SELECT library_version FROM pragma_version()),"
            + " (SELECT platform FROM pragma_platform())")) {
      row.next();
      String directory = row.getString(1);
      if (directory == null || directory.isBlank()) {
        String home = row.getString(2);
        if (home == null || home.isBlank()) {
          home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
        }
        directory = Path.of(home, ".duckdb", "extensions").toString();
      }
      Path expected = Path.of(directory, row.getString(3), row.getString(4),
          extension + ".duckdb_extension");
      return "DuckDB " + row.getString(3) + " searched " + directory + " and expected " + expected
          + " there. ";
    } catch (SQLException | RuntimeException e) {
      return "";
    }
  }

  private static void loadOrInstall(Connection connection, String extension)
      throws SQLException {
    try {
      Sql.execute(connection, "LOAD " + extension);
    } catch (SQLException notInstalled) {
      Sql.execute(connection, "INSTALL " + extension);
      Sql.execute(connection, "LOAD " + extension);
    }
  }

  /**
   * Creates the secrets of {@code lea.duckdb.secrets}: one or more bodies of DuckDB's
   * {@code CREATE SECRET (...)}, separated by {@code ;}. Errors never repeat the statement.
   */
  static void createSecrets(Connection connection, LeaConfig config) {
    var endpoint = config.find(LeaSettings.DUCKLAKE_S3_ENDPOINT);
    if (endpoint.isPresent()) {
      try {
        Sql.execute(connection, "SET s3_endpoint = " + Sql.literal(endpoint.get()));
      } catch (SQLException e) {
        throw LeaException.infrastructure("Cannot set DuckDB's s3_endpoint from "
            + LeaSettings.DUCKLAKE_S3_ENDPOINT + " (LEA_DUCKLAKE_S3_ENDPOINT): "
            + Sql.firstLine(e.getMessage()) + ". It needs the httpfs extension.", e);
      }
    }
    List<String> bodies = new ArrayList<>();
    config.find(LeaSettings.DUCKLAKE_SECRET).ifPresent(bodies::add);
    config.find(LeaSettings.DUCKDB_SECRETS).ifPresent(all -> bodies.addAll(List.of(all.split(";"))));
    int index = 0;
    for (String body : bodies) {
      if (body.isBlank()) {
        continue;
      }
      index++;
      String trimmed = body.trim();
      String statement = trimmed.toUpperCase(java.util.Locale.ROOT).startsWith("CREATE")
          ? trimmed : "CREATE SECRET (" + trimmed + ")";
      try {
        Sql.execute(connection, statement);
      } catch (SQLException refused) {
        createWithItsExtension(connection, statement, index, config);
      }
    }
  }

  /**
   * DuckDB refuses a secret whose type lives in an extension it cannot load (an {@code s3} secret
   * without httpfs, offline): load that extension and try once more, so the error says which of
   * the two is wrong. Neither message repeats the statement, which holds credentials.
   */
  private static void createWithItsExtension(Connection connection, String statement, int index,
      LeaConfig config) {
    String which = "Cannot create DuckDB secret #" + index + " of " + LeaSettings.DUCKLAKE_SECRET
        + " and " + LeaSettings.DUCKDB_SECRETS + " (LEA_DUCKLAKE_SECRET, LEA_DUCKDB_SECRETS): ";
    Matcher type = SECRET_TYPE.matcher(statement);
    String extension = type.find()
        ? SECRET_TYPE_EXTENSIONS.get(type.group(1).toLowerCase(Locale.ROOT)) : null;
    if (extension != null) {
      try {
        loadOrInstall(connection, extension);
      } catch (SQLException e) {
        throw LeaException.infrastructure(which + "a secret of TYPE "
            + type.group(1).toLowerCase(Locale.ROOT) + " needs DuckDB's " + extension
            + " extension, which cannot be loaded: " + Sql.firstLine(e.getMessage()) + ". "
            + EXTENSION_ADVICE + " The secret holds credentials, so the value is not shown"
            + " here.", e);
      }
      try {
        Sql.execute(connection, statement);
        return;
      } catch (SQLException stillRefused) {
        // The extension is there, so the secret's own keys are what DuckDB refuses.
      }
    }
    throw LeaException.user(which + "DuckDB refused it. Check its TYPE and keys; the value is not"
        + " shown because it holds credentials.");
  }
}
