package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.Reporters;
import dev.lea.spi.Reporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction shrinks bloated catalog files and keeps their content. The files are bloated the way
 * DuckLake bloats them (many writes, most rows later deleted), without needing the extension.
 */
class CompactorTest {

  @TempDir Path dir;

  @Test
  void vacuumShrinksABloatedSqliteCatalog() throws Exception {
    Path catalog = dir.resolve("catalog.sqlite");
    execute("jdbc:sqlite:" + catalog, "CREATE TABLE snapshots (id INTEGER, payload TEXT)",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
            + " INSERT INTO snapshots SELECT i, printf('%.500c', 'x') FROM n",
        "DELETE FROM snapshots WHERE id > 10");
    long before = Files.size(catalog);
    List<String> messages = new ArrayList<>();

    Compactor.compact(catalog, "sqlite", Reporters.collecting(messages));

    long after = Files.size(catalog);
    assertThat(after).isLessThan(before / 10);
    assertThat(messages).singleElement().asString().startsWith("Compacted catalog from ");
    assertThat(single("jdbc:sqlite:" + catalog, "SELECT count(*) FROM snapshots")).isEqualTo(10);
  }

  @Test
  void copyShrinksABloatedDuckDbCatalog() throws Exception {
    Path catalog = dir.resolve("catalog.duckdb");
    execute("jdbc:duckdb:" + catalog, "CREATE TABLE kept AS SELECT range AS i FROM range(10)",
        "CREATE TABLE dropped AS SELECT range AS i, md5(range::VARCHAR) AS h FROM range(500000)",
        "CHECKPOINT", "DROP TABLE dropped", "CHECKPOINT");
    long before = Files.size(catalog);

    Compactor.compact(catalog, "duckdb", Reporter.silent());

    assertThat(Files.size(catalog)).isLessThan(before / 4);
    assertThat(dir.resolve(".catalog.duckdb.compact")).doesNotExist();
    assertThat(single("jdbc:duckdb:" + catalog, "SELECT sum(i) FROM kept")).isEqualTo(45);
  }

  @Test
  void aPlainWarehouseIsLeftAsItIs() throws Exception {
    Path warehouse = dir.resolve("w.duckdb");
    execute("jdbc:duckdb:" + warehouse, "CREATE TABLE t AS SELECT 1 AS i");
    byte[] before = Files.readAllBytes(warehouse);
    Compactor.compact(warehouse, CatalogTarget.FORMAT_DUCKDB_WAREHOUSE, Reporter.silent());
    assertThat(Files.readAllBytes(warehouse)).isEqualTo(before);
  }

  private static void execute(String url, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private static long single(String url, String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
