package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code lea.ducklake.maintenance} on real catalogs: what it deletes from the data path, and what
 * it must never delete — files another catalog sharing the data path references (a developer's
 * {@code _<user>} catalog), and files the catalog in the bucket still references when this run's
 * catalog does not make it there.
 */
class DuckLakeMaintenanceTest {

  /** More rows than DuckLake inlines, so every version of the table is a Parquet file. */
  private static final String REPLACE = "CREATE OR REPLACE TABLE t AS SELECT range + %d AS v"
      + " FROM range(1000)";

  @TempDir Path dir;

  private LeaConfig catalog(String name, String format) {
    return DuckLakeExtensions.config(dir)
        .with(LeaSettings.CATALOG_URL, dir.resolve("bucket/lake/" + name + "." + format).toUri()
            .toString())
        .with(LeaSettings.CATALOG_FORMAT, format)
        .with(LeaSettings.DATA_PATH, dir.resolve("bucket/lake/data").toString() + "/")
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache-" + name).toString());
  }

  private static void assumeExtensions(String format) {
    DuckLakeExtensions.assumeLoadable("ducklake", format.equals("sqlite") ? "sqlite" : "ducklake");
  }

  private void write(LeaConfig config, String sql) throws SQLException {
    try (CatalogSession session = CatalogSync.open(config);
        Statement statement = session.connection().createStatement()) {
      statement.execute(sql);
      session.commit();
    }
  }

  private Set<Path> dataFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("bucket/lake/data"))) {
      return files.filter(Files::isRegularFile).collect(Collectors.toSet());
    }
  }

  private Set<Path> writeAndCollect(LeaConfig config, String sql) throws Exception {
    Set<Path> before = dataFiles();
    write(config, sql);
    Set<Path> added = new HashSet<>(dataFiles());
    added.removeAll(before);
    assertThat(added).as("files written by " + sql).isNotEmpty();
    return added;
  }

  private static long sum(LeaConfig config) throws SQLException {
    try (CatalogSession session = CatalogSync.open(config.with(LeaSettings.READ_ONLY, "true"))) {
      List<List<Object>> rows = DuckLakeScenario.query(session, "SELECT sum(v) FROM t");
      session.commit();
      return ((Double) rows.get(0).get(0)).longValue();
    }
  }

  private static long expectedSum(int offset) {
    return 999L * 1000 / 2 + 1000L * offset;
  }

  @ParameterizedTest(name = "{0} catalog")
  @ValueSource(strings = {"sqlite", "duckdb"})
  void expiredFilesAreDeletedAndADevelopersCatalogOnTheSameDataPathKeepsItsFiles(String format)
      throws Exception {
    assumeExtensions(format);
    LeaConfig production = catalog("catalog", format);
    LeaConfig developer = catalog("catalog_dev", format);
    Files.createDirectories(dir.resolve("bucket/lake/data"));
    // The same table name, so both catalogs write into the same folder of the data path.
    Set<Path> developers = writeAndCollect(developer, REPLACE.formatted(100));
    Set<Path> expired = new HashSet<>();
    for (int run = 1; run <= 3; run++) {
      expired.addAll(writeAndCollect(production, REPLACE.formatted(run)));
    }
    LeaConfig maintained = production.with(LeaSettings.MAINTENANCE, "PT0S");
    // The first maintained run expires the older snapshots; the files they alone referenced are
    // deleted by the next maintained run, once the catalog that dropped them is in the bucket.
    Set<Path> fourth = writeAndCollect(maintained, REPLACE.formatted(4));
    Set<Path> current = writeAndCollect(maintained, REPLACE.formatted(5));

    Set<Path> remaining = dataFiles();
    assertThat(remaining).as("files of expired snapshots").doesNotContainAnyElementsOf(expired);
    assertThat(remaining).as("the developer's files").containsAll(developers);
    assertThat(remaining).as("the current table's files").containsAll(current);
    assertThat(remaining).as("files expired in the last run wait for the next")
        .containsAll(fourth);
    assertThat(sum(production)).isEqualTo(expectedSum(5));
    assertThat(sum(developer)).isEqualTo(expectedSum(100));
  }

  /**
   * A maintained run whose catalog is refused (another writer uploaded first) must leave the data
   * path as the bucket's catalog needs it: that catalog still reads the table version this run
   * replaced and expired.
   */
  @ParameterizedTest(name = "{0} catalog")
  @ValueSource(strings = {"sqlite", "duckdb"})
  void aRefusedUploadDeletesNothingTheBucketsCatalogReferences(String format) throws Exception {
    assumeExtensions(format);
    LeaConfig base = catalog("catalog", format)
        .with(LeaSettings.LOCK, "conditional-write")
        .with(LeaSettings.CACHE_ENABLED, "false");
    write(base, REPLACE.formatted(1));
    try (CatalogSession maintained = CatalogSync.open(base.with(LeaSettings.MAINTENANCE, "PT0S"))) {
      write(base, "CREATE TABLE u AS SELECT 1 AS w");
      try (Statement statement = maintained.connection().createStatement()) {
        statement.execute(REPLACE.formatted(2));
      }
      assertThatThrownBy(maintained::commit)
          .isInstanceOf(LeaException.class)
          .hasMessageContaining("another writer changed it");
    }
    assertThat(sum(base)).isEqualTo(expectedSum(1));
  }
}
