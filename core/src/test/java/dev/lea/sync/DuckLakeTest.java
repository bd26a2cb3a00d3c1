package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckLakeTest {

  @TempDir Path dir;

  private LeaConfig duckLake(String format) {
    return DuckLakeExtensions.config(dir)
        .with(LeaSettings.CATALOG_URL, "file:" + dir.resolve("bucket").resolve("catalog." + format))
        .with(LeaSettings.CATALOG_FORMAT, format)
        .with(LeaSettings.DATA_PATH, dir.resolve("data").toString())
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString())
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
  }

  @Test
  void attachOptionsArePassedInDuckLakeSpelling() {
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.SNAPSHOT_VERSION, "3")
        .with(LeaSettings.DATA_INLINING_ROW_LIMIT, "10")
        .with(LeaSettings.ENCRYPTED, "true")
        .with(LeaSettings.METADATA_SCHEMA, "meta'data")
        .with(LeaSettings.OVERRIDE_DATA_PATH, "false");
    assertThat(DuckLake.passThroughOptions(config)).containsExactly("SNAPSHOT_VERSION 3",
        "DATA_INLINING_ROW_LIMIT 10", "ENCRYPTED true", "METADATA_SCHEMA 'meta''data'",
        "OVERRIDE_DATA_PATH false");
    assertThatThrownBy(() -> config.with(LeaSettings.SNAPSHOT_VERSION, "latest"))
        .hasMessageContaining("expected a whole number");
  }

  @Test
  void withoutTheExtensionADuckLakeRunFailsBeforeAnyLockOrUpload() {
    LeaConfig config = duckLake("sqlite")
        .with(LeaSettings.EXTENSION_DIRECTORY, dir.resolve("no-extensions").toString())
        .with(LeaSettings.EXTENSION_REPOSITORY, dir.resolve("no-repository").toUri().toString());
    assertThatThrownBy(() -> CatalogSync.open(config))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot load DuckDB extension 'ducklake': ")
        .hasMessageContaining("LEA_DUCKDB_EXTENSION_DIRECTORY");
    assertThat(dir.resolve("bucket")).doesNotExist();
    assertThat(dir.resolve("work")).doesNotExist();
  }

  @Test
  void sqliteCatalogLifecycle() throws Exception {
    lifecycle("sqlite");
  }

  @Test
  void duckdbCatalogLifecycle() throws Exception {
    lifecycle("duckdb");
  }

  /** Fresh start, a second run that sees the first's table, and time travel after the sync. */
  private void lifecycle(String format) throws Exception {
    LeaConfig config = duckLake(format);
    DuckLakeExtensions.assumeLoadable("ducklake", "sqlite");
    try (CatalogSession session = CatalogSync.open(config);
        Statement s = session.connection().createStatement()) {
      assertThat(session.startedFresh()).isTrue();
      s.execute("CREATE TABLE t AS SELECT 1 AS v");
      assertThat(session.commit().outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    }
    try (CatalogSession session = CatalogSync.open(config);
        Statement s = session.connection().createStatement()) {
      s.execute("INSERT INTO t VALUES (2)");
      session.commit();
    }
    assertThat(rowsSeenReadOnly(config.with(LeaSettings.SNAPSHOT_VERSION, "1"), "t"))
        .isEqualTo(1);
  }

  @Test
  void maintenanceIsOffByDefaultAndAcceptsTrueOrAnAge() {
    LeaConfig config = LeaConfig.defaults(dir);
    assertThat(DuckLake.maintenanceAge(config)).isEmpty();
    assertThat(DuckLake.maintenanceAge(config.with(LeaSettings.MAINTENANCE, "true")))
        .contains(java.time.Duration.ofDays(7));
    assertThat(DuckLake.maintenanceAge(config.with(LeaSettings.MAINTENANCE, "P30D")))
        .contains(java.time.Duration.ofDays(30));
    assertThatThrownBy(() -> DuckLake.maintenanceAge(
        config.with(LeaSettings.MAINTENANCE, "weekly")))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot use 'weekly' for lea.ducklake.maintenance (LEA_DUCKLAKE_MAINTENANCE):"
            + " valid values: false, true, or an age such as P30D or 12h.");
    assertThat(DuckLake.maintenanceStatements(java.time.Duration.ofHours(1))).containsExactly(
        "CALL ducklake_expire_snapshots('my_ducklake', older_than => now() - INTERVAL '3600"
            + " seconds')",
        "CALL ducklake_merge_adjacent_files('my_ducklake')");
    assertThat(DuckLake.cleanupStatement(java.time.Duration.ofHours(1))).isEqualTo(
        "CALL ducklake_cleanup_old_files('my_ducklake', older_than => now() - INTERVAL '3600"
            + " seconds')");
  }

  @Test
  void failedRunsFollowTheFailurePolicyAndMaintenanceRunsOnSuccess() throws Exception {
    LeaConfig config = duckLake("sqlite").with(LeaSettings.ON_FAILURE, "upload-on-success")
        .with(LeaSettings.MAINTENANCE, "PT0S");
    DuckLakeExtensions.assumeLoadable("ducklake", "sqlite");
    try (CatalogSession session = CatalogSync.open(config);
        Statement s = session.connection().createStatement()) {
      s.execute("CREATE TABLE t AS SELECT 1 AS v");
      session.commit();
    }
    SyncResult failed;
    try (CatalogSession session = CatalogSync.open(config);
        Statement s = session.connection().createStatement()) {
      s.execute("INSERT INTO t VALUES (2)");
      failed = session.fail(new IllegalStateException("script failed"));
    }
    assertThat(failed.outcome()).isEqualTo(SyncResult.Outcome.KEPT_LOCAL);
    assertThat(rowsSeenReadOnly(config, "t")).isEqualTo(1);
  }

  @Test
  void remoteDataPathsNeedHttpfs() {
    assertThat(DuckLake.needsHttpfs("s3://bucket/lake/")).isTrue();
    assertThat(DuckLake.needsHttpfs("r2://bucket/lake/")).isTrue();
    assertThat(DuckLake.needsHttpfs("gs://bucket/lake/")).isTrue();
    assertThat(DuckLake.needsHttpfs("/data/lake")).isFalse();
    assertThat(DuckLake.needsHttpfs("data/lake")).isFalse();
  }

  /** The rows of {@code table} as a read-only session of {@code config} sees them. */
  private static long rowsSeenReadOnly(LeaConfig config, String table) throws Exception {
    try (CatalogSession session = CatalogSync.open(config.with(LeaSettings.READ_ONLY, "true"));
        Statement s = session.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      long rows = rs.getLong(1);
      session.commit();
      return rows;
    }
  }
}
