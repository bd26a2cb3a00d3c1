package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.Sql;
import dev.lea.spi.LeaException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DuckLake's ATTACH options reach DuckLake through a synced session, each checked against what
 * DuckLake itself recorded: its options, its snapshots' changes, and the catalog's own tables.
 */
class DuckLakeAttachOptionsTest {

  @TempDir Path dir;

  private LeaConfig config(String format) {
    return DuckLakeExtensions.config(dir)
        .with(LeaSettings.CATALOG_URL, dir.resolve("bucket/catalog." + format).toUri().toString())
        .with(LeaSettings.CATALOG_FORMAT, format)
        .with(LeaSettings.DATA_PATH, dir.resolve("data").toString() + "/")
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
  }

  private static void extensions(String format) {
    DuckLakeExtensions.assumeLoadable("ducklake", format.equals("sqlite") ? "sqlite" : "ducklake");
  }

  @ParameterizedTest(name = "{0} catalog")
  @ValueSource(strings = {"sqlite", "duckdb"})
  void encryptionAndInliningReachDuckLake(String format) throws Exception {
    extensions(format);
    // DuckLake's default inlines up to 10 rows; with 50 a 30-row table lives in the catalog.
    LeaConfig config = config(format).with(LeaSettings.ENCRYPTED, "true")
        .with(LeaSettings.DATA_INLINING_ROW_LIMIT, "50");
    try (CatalogSession session = CatalogSync.open(config);
        Statement statement = session.connection().createStatement()) {
      statement.execute("CREATE TABLE small AS SELECT range AS v FROM range(30)");
      statement.execute("CREATE TABLE big AS SELECT range AS v FROM range(1000)");
      session.commit();
    }
    try (CatalogSession session = CatalogSync.open(config.with(LeaSettings.READ_ONLY, "true"))) {
      assertThat(DuckLakeScenario.query(session, "SELECT value FROM my_ducklake.options()"
          + " WHERE option_name = 'encrypted'")).containsExactly(List.of("true"));
      assertThat(DuckLakeScenario.query(session,
          "SELECT count(*) FROM ducklake_list_files('my_ducklake', 'small')"))
          .containsExactly(List.of(0.0));
      List<List<Object>> files = DuckLakeScenario.query(session,
          "SELECT data_file FROM ducklake_list_files('my_ducklake', 'big')");
      assertThat(files).hasSize(1);
      assertThat(DuckLakeScenario.query(session, "SELECT count(*), sum(v) FROM small"))
          .containsExactly(List.of(30.0, 435.0));
      String file = (String) files.get(0).get(0);
      // Encrypted Parquet: unreadable without the key the catalog holds.
      assertThatThrownBy(() -> DuckLakeScenario.query(session,
          "SELECT count(*) FROM read_parquet(" + Sql.literal(file) + ")"))
          .hasMessageContaining("ncrypt");
      session.commit();
    }
  }

  @Test
  void aMetadataSchemaHoldsTheDuckDbCatalogsTables() throws Exception {
    extensions("duckdb");
    LeaConfig config = config("duckdb").with(LeaSettings.METADATA_SCHEMA, "lake_meta");
    try (CatalogSession session = CatalogSync.open(config);
        Statement statement = session.connection().createStatement()) {
      statement.execute("CREATE TABLE t AS SELECT 1 AS v");
      session.commit();
    }
    Path copy = dir.resolve("copy.duckdb");
    DuckLakeExtensions.copyObject(dir.resolve("bucket"), "catalog.duckdb", copy);
    try (Connection raw = DriverManager.getConnection("jdbc:duckdb:" + copy);
        Statement statement = raw.createStatement();
        ResultSet schemas = statement.executeQuery("SELECT DISTINCT schema_name FROM"
            + " duckdb_tables() WHERE table_name = 'ducklake_snapshot'")) {
      assertThat(schemas.next()).isTrue();
      assertThat(schemas.getString(1)).isEqualTo("lake_meta");
      assertThat(schemas.next()).isFalse();
    }
    try (CatalogSession session = CatalogSync.open(config.with(LeaSettings.READ_ONLY, "true"))) {
      assertThat(DuckLakeScenario.query(session, "SELECT v FROM t"))
          .containsExactly(List.of(1.0));
      session.commit();
    }
  }

  @Test
  void aMetadataSchemaWithASqliteCatalogIsRefusedBeforeAnyLock() {
    LeaConfig config = config("sqlite").with(LeaSettings.METADATA_SCHEMA, "lake_meta");
    assertThatThrownBy(() -> CatalogSync.open(config))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot use lea.ducklake.metadataSchema (LEA_DUCKLAKE_METADATA_SCHEMA) with a"
            + " sqlite catalog: SQLite has no schemas, so DuckLake cannot put its tables in"
            + " 'lake_meta'. Remove the setting, or use lea.ducklake.catalogFormat=duckdb.");
    assertThat(dir.resolve("bucket")).doesNotExist();
  }
}
