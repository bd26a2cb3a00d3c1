package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.sync.CatalogSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide's "When a run fails" section, step by step on a file: bucket: a failed run's copy
 * kept with upload-aside is opened read-only through the Java API to read its audit tables, and
 * restored over the catalog by hand, after which the next run resumes from it.
 */
class WhenARunFailsTest {

  @TempDir Path project;
  private final List<String> output = new ArrayList<>();

  @BeforeEach
  void project() throws Exception {
    write("SELECT\n    -- #UNIQUE\n    range AS n\nFROM range(5)\n");
  }

  private void write(String sql) throws Exception {
    LeaProject.in(project).script("core/numbers.sql", sql);
  }

  private LeaConfig config() {
    return LeaProject.in(project).production().with(LeaSettings.ON_FAILURE, "upload-aside");
  }

  @Test
  void aKeptCopyOpensReadOnlyAndRestoresByCopyingItOverTheCatalog() throws Exception {
    assertThat(Lea.run(config(), Reporters.collecting(output)).succeeded()).isTrue();
    Path bucket = project.resolve("bucket");
    byte[] published = Files.readAllBytes(bucket.resolve("warehouse.duckdb"));
    write("SELECT\n    -- #UNIQUE\n    range % 2 AS n\nFROM range(5)\n");

    assertThatThrownBy(() -> Lea.run(config(), Reporters.collecting(output)))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("The failed run's catalog was uploaded to file:");
    assertThat(Files.readAllBytes(bucket.resolve("warehouse.duckdb"))).isEqualTo(published);
    Path failed;
    try (Stream<Path> files = Files.list(bucket)) {
      failed = files.filter(f -> f.getFileName().toString().startsWith("warehouse.duckdb.failed-"))
          .findFirst().orElseThrow();
    }

    LeaConfig copy = config()
        .with(LeaSettings.DUCKDB_PATH, "file:bucket/" + failed.getFileName())
        .with(LeaSettings.READ_ONLY, "true");
    try (CatalogSession session = Lea.open(copy, Reporter.silent());
        Statement statement = session.connection().createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT count(*), count(DISTINCT n) FROM core.numbers___audit")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(5);
      assertThat(rows.getLong(2)).isEqualTo(2);
      session.commit();
    }

    Files.copy(failed, bucket.resolve("warehouse.duckdb"), StandardCopyOption.REPLACE_EXISTING);
    Files.delete(bucket.resolve(".lea-meta-warehouse.duckdb.json"));

    try (CatalogSession session = Lea.open(config().with(LeaSettings.READ_ONLY, "true"),
            Reporters.collecting(output));
        Statement statement = session.connection().createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM core.numbers___audit")) {
      rows.next();
      assertThat(rows.getLong(1)).as("the restored catalog, not the cached one").isEqualTo(5);
      session.commit();
    }
    assertThat(String.join("\n", output)).contains("Downloaded catalog");
  }
}
