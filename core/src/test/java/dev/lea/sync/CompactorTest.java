package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.Reporters;
import dev.lea.spi.Reporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + catalog);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE snapshots (id INTEGER, payload TEXT)");
      s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
          + " INSERT INTO snapshots SELECT i, printf('%.500c', 'x') FROM n");
      s.execute("DELETE FROM snapshots WHERE id > 10");
    }
    long before = Files.size(catalog);
    List<String> messages = new ArrayList<>();

    Compactor.compact(catalog, "sqlite", Reporters.collecting(messages));

    long after = Files.size(catalog);
    assertThat(after).isLessThan(before / 10);
    assertThat(messages).singleElement().asString().startsWith("Compacted catalog from ");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + catalog);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM snapshots")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(10);
    }
  }

  @Test
  void copyShrinksABloatedDuckDbCatalog() throws Exception {
    Path catalog = dir.resolve("catalog.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + catalog);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept AS SELECT range AS i FROM range(10)");
      s.execute("CREATE TABLE dropped AS SELECT range AS i, md5(range::VARCHAR) AS h"
          + " FROM range(500000)");
      s.execute("CHECKPOINT");
      s.execute("DROP TABLE dropped");
      s.execute("CHECKPOINT");
    }
    long before = Files.size(catalog);

    Compactor.compact(catalog, "duckdb", Reporter.silent());

    assertThat(Files.size(catalog)).isLessThan(before / 4);
    assertThat(dir.resolve(".catalog.duckdb.compact")).doesNotExist();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + catalog);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT sum(i) FROM kept")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(45);
    }
  }

  @Test
  void aPlainWarehouseIsLeftAsItIs() throws Exception {
    Path warehouse = dir.resolve("w.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t AS SELECT 1 AS i");
    }
    byte[] before = Files.readAllBytes(warehouse);
    Compactor.compact(warehouse, CatalogTarget.FORMAT_DUCKDB_WAREHOUSE, Reporter.silent());
    assertThat(Files.readAllBytes(warehouse)).isEqualTo(before);
  }
}
