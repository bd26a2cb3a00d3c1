package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java snippet of README.md, run as written (with a temporary bucket and cache). */
class ReadmeExampleTest {

  @TempDir Path projectDir;

  @Test
  void theReadmeSnippetWorks() throws Exception {
    Path bucket = projectDir.resolve("bucket");
    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(readme).contains("try (CatalogSession session = CatalogSync.open(config,"
        + " Reporter.console())) {").contains("session.commit();");

    LeaConfig config = ConfigResolver.builder().projectDirectory(projectDir)
        .configuration(Map.of("lea.duckdb.path", "file://" + bucket.resolve("warehouse.duckdb"),
            "lea.cache.dir", projectDir.resolve("cache").toString()))
        .resolve();
    try (CatalogSession session = CatalogSync.open(config, Reporter.console())) {
      try (Statement statement = session.connection().createStatement()) {
        statement.execute("CREATE TABLE answers AS SELECT 42 AS answer");
      }
      session.commit();
    }

    try (CatalogSession session = CatalogSync.open(config);
        Statement statement = session.connection().createStatement();
        ResultSet rs = statement.executeQuery("SELECT answer FROM answers")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(42);
      session.commit();
    }
    assertThat(bucket.resolve("warehouse.duckdb")).exists();
  }
}
