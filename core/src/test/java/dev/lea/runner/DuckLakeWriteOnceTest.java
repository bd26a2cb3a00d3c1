package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.Reporter;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.sync.DuckLakeExtensions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing renames the audit table in place, so a run writes each table's data to the DuckLake
 * data path once, not once for the audit table and again for the copy.
 */
class DuckLakeWriteOnceTest {

  private static final Reporter QUIET = Reporter.silent();

  @TempDir
  Path dir;

  private LeaConfig config(String format) throws IOException {
    Path project = dir.resolve("project");
    Files.createDirectories(project.resolve("scripts/core"));
    Files.writeString(project.resolve("scripts/core/events.sql"), """
        SELECT range AS id, md5(range::VARCHAR) AS payload
        FROM range(200000)
        """);
    Files.writeString(project.resolve("scripts/core/summary.sql"),
        "SELECT count(*) AS n, max(id) AS top FROM core.events");
    Map<String, String> settings = new HashMap<>();
    settings.put(LeaSettings.CATALOG_DATABASE, dir.resolve("catalog." + format).toString());
    settings.put(LeaSettings.CATALOG_FORMAT, format);
    settings.put(LeaSettings.DATA_PATH, dir.resolve("data").toString() + "/");
    settings.put(LeaSettings.PRODUCTION, "true");
    return ConfigResolver.builder().projectDirectory(project).environment(System.getenv())
        .configuration(settings).resolve();
  }

  @Test
  void aSqliteCatalogRunWritesOneCopyOfItsTables() throws Exception {
    writesOneCopy("sqlite");
  }

  @Test
  void aDuckdbCatalogRunWritesOneCopyOfItsTables() throws Exception {
    writesOneCopy("duckdb");
  }

  private void writesOneCopy(String format) throws Exception {
    LeaConfig config = config(format);
    DuckLakeExtensions.assumeLoadable("ducklake", "sqlite");
    for (int run = 1; run <= 2; run++) {
      Set<Path> before = files();
      long tableBytes;
      try (CatalogSession session = CatalogSync.open(config, QUIET)) {
        RunResult result = LeaRunner.run(session.connection(), config, QUIET);
        assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
        tableBytes = tableBytes(session, "events") + tableBytes(session, "summary");
        session.commit();
      }
      long written = 0;
      for (Path file : files()) {
        if (!before.contains(file)) {
          written += Files.size(file);
        }
      }
      assertThat(tableBytes).as("run %d: the tables have data files", run).isPositive();
      assertThat(written).as("run %d: bytes written to the data path", run)
          .isEqualTo(tableBytes);
    }
  }

  private long tableBytes(CatalogSession session, String table) throws Exception {
    try (Statement statement = session.connection().createStatement();
        ResultSet result = statement.executeQuery("SELECT COALESCE(sum(data_file_size_bytes), 0)"
            + " FROM ducklake_list_files('my_ducklake', '" + table + "', schema => 'core')")) {
      result.next();
      return result.getLong(1);
    }
  }

  private Set<Path> files() throws IOException {
    Path data = dir.resolve("data");
    if (!Files.isDirectory(data)) {
      return Set.of();
    }
    try (Stream<Path> walk = Files.walk(data)) {
      return new HashSet<>(walk.filter(Files::isRegularFile).toList());
    }
  }
}
