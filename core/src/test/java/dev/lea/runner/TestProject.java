package dev.lea.runner;

import dev.lea.Reporters;
import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.spi.Reporter;
import dev.lea.testing.SqlRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A lea project in a temporary folder with its own DuckDB warehouse file. */
final class TestProject implements AutoCloseable {

  final Path directory;
  final Connection connection;
  final List<String> messages = new ArrayList<>();
  private final Map<String, String> environment = new HashMap<>();

  TestProject(Path root) throws SQLException {
    this.directory = root.resolve("project");
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.connection = DriverManager.getConnection("jdbc:duckdb:" + root.resolve("warehouse.duckdb"));
  }

  /** Copies a project from {@code src/test/resources/runner/<name>}. */
  static TestProject copyOf(String name, Path root) throws Exception {
    TestProject project = new TestProject(root);
    Path source = Path.of(TestProject.class.getResource("/runner/" + name).toURI());
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = project.directory.resolve(source.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
    return project;
  }

  TestProject file(String path, String content) {
    try {
      Path file = directory.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** staging.customers and staging.orders, joined into core.orders, whose id is {@code #UNIQUE}. */
  TestProject orders() {
    return file("scripts/staging/customers.sql", "SELECT 1 AS id")
        .file("scripts/staging/orders.sql", "SELECT 1 AS id, 1 AS customer_id")
        .file("scripts/core/orders.sql", """
            SELECT
                -- #UNIQUE
                orders.id,
                customers.id AS customer
            FROM staging.orders
            JOIN staging.customers ON customers.id = orders.customer_id
            """);
  }

  TestProject env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  LeaConfig config(String... properties) {
    Map<String, String> configuration = new HashMap<>();
    for (int i = 0; i < properties.length; i += 2) {
      configuration.put(properties[i], properties[i + 1]);
    }
    return ConfigResolver.builder().projectDirectory(directory)
        .dotEnv(directory.resolve(".env")).environment(environment)
        .configuration(configuration).resolve();
  }

  RunResult run(String... properties) {
    return LeaRunner.run(connection, config(properties), reporter());
  }

  Reporter reporter() {
    return Reporters.of(messages::add, message -> messages.add("WARNING: " + message));
  }

  List<List<Object>> rows(String sql) throws SQLException {
    return SqlRows.of(connection, sql);
  }

  /** Tables of the warehouse, as {@code schema.table}, sorted. */
  List<String> tables() throws SQLException {
    List<String> tables = new ArrayList<>();
    for (List<Object> row : rows("SELECT schema_name || '.' || table_name FROM duckdb_tables()"
        + " WHERE database_name = current_database() ORDER BY 1")) {
      tables.add((String) row.get(0));
    }
    return tables;
  }

  void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
