package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.Reporters;
import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.sync.DuckLakeExtensions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steps side by side on a DuckLake: each on its own connection of the session's DuckDB instance,
 * committing to the one catalog. A catalog in DuckDB takes those commits; one in SQLite fails them
 * with "database is locked" (DuckDB's sqlite extension has one writer), so there the runner runs
 * one step at a time. Either way the tables are those of a run one step at a time.
 */
class ConcurrentDuckLakeTest {

  @TempDir
  Path dir;

  private final List<String> messages = Collections.synchronizedList(new ArrayList<>());

  private Path project() throws Exception {
    Path project = dir.resolve("project");
    Files.createDirectories(project.resolve("scripts/raw"));
    Files.createDirectories(project.resolve("scripts/core"));
    Files.createDirectories(project.resolve("tests"));
    for (int i = 1; i <= 4; i++) {
      Files.writeString(project.resolve("scripts/raw/part" + i + ".sql"), """
          SELECT range * %d AS id, md5(range::VARCHAR) AS payload, range %% 7 AS bucket
          FROM range(5000)
          """.formatted(i));
    }
    Files.writeString(project.resolve("scripts/core/buckets.sql"), """
        SELECT
            -- #UNIQUE
            bucket,
            count(*) AS n,
            sum(id) AS total
        FROM (
            SELECT * FROM raw.part1 UNION ALL SELECT * FROM raw.part2
            UNION ALL SELECT * FROM raw.part3 UNION ALL SELECT * FROM raw.part4
        )
        GROUP BY bucket
        """);
    Files.writeString(project.resolve("scripts/core/largest.sql"),
        "SELECT max(total) AS total FROM core.buckets");
    Files.writeString(project.resolve("tests/seven_buckets.sql"),
        "SELECT count(*) AS n FROM core.buckets HAVING count(*) <> 7");
    return project;
  }

  private LeaConfig config(Path project, String lake, String format, String threads) {
    Map<String, String> settings = new HashMap<>();
    settings.put(LeaSettings.CATALOG_DATABASE, dir.resolve(lake + "." + format).toString());
    settings.put(LeaSettings.CATALOG_FORMAT, format);
    settings.put(LeaSettings.DATA_PATH, dir.resolve(lake + "-data").toString() + "/");
    settings.put(LeaSettings.PRODUCTION, "true");
    settings.put(LeaSettings.THREADS, threads);
    return ConfigResolver.builder().projectDirectory(project)
        .dotEnv(project.resolve(".env-none")).environment(DuckLakeExtensions.environment())
        .configuration(settings).resolve();
  }

  /** Each table's rows (the build stamp left out), after the last of {@code runs} runs. */
  private Map<String, List<List<Object>>> run(LeaConfig config, int runs) throws Exception {
    Map<String, List<List<Object>>> tables = new LinkedHashMap<>();
    for (int run = 1; run <= runs; run++) {
      try (CatalogSession session = CatalogSync.open(config, Reporters.collecting(messages))) {
        RunResult result = LeaRunner.run(session.connection(), config,
            Reporters.collecting(messages));
        assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
        if (run == runs) {
          for (String table : List.of("raw.part1", "raw.part2", "raw.part3", "raw.part4",
              "core.buckets", "core.largest")) {
            tables.put(table, rows(session.connection(), "SELECT * EXCLUDE ("
                + Warehouse.MATERIALIZED_AT + ") FROM " + table + " ORDER BY ALL"));
          }
          tables.put("(tables)", rows(session.connection(), "SELECT schema_name, table_name"
              + " FROM duckdb_tables() WHERE database_name = current_database() ORDER BY ALL"));
        }
        session.commit();
      }
    }
    return tables;
  }

  private static List<List<Object>> rows(Connection connection, String sql) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
          row.add(result.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /**
   * The second run side by side replaces every table while the first run's are there, so both
   * the creating and the replacing commits are exercised.
   */
  @Test
  void sideBySideOnADuckdbCatalogAndOneAtATimeOnSqliteGiveTheTablesOfASerialRun()
      throws Exception {
    DuckLakeExtensions.assumeLoadable("ducklake", "sqlite");
    Path project = project();
    Map<String, List<List<Object>>> oneAtATime = run(config(project, "serial", "duckdb", "1"), 1);
    assertThat(oneAtATime.get("core.buckets")).hasSize(7);
    messages.clear();

    Map<String, List<List<Object>>> sideBySide = run(config(project, "side", "duckdb", "4"), 2);

    assertThat(messages)
        .anyMatch(m -> m.startsWith("Running 8 of 8: ") && m.endsWith("; up to 4 at a time"))
        .contains("raw.part1: started", "raw.part2: started", "raw.part3: started",
            "raw.part4: started");
    assertThat(sideBySide).isEqualTo(oneAtATime);
    messages.clear();

    Map<String, List<List<Object>>> sqlite = run(config(project, "lake", "sqlite", "4"), 1);

    assertThat(messages).contains("Running one step at a time: a DuckLake catalog in SQLite"
        + " takes one writer at a time (a DuckLake catalog in DuckDB or Postgres runs"
        + " lea.threads steps at once).")
        .anyMatch(m -> m.startsWith("Running 8 of 8: ") && !m.contains("at a time"))
        .noneMatch(m -> m.endsWith(": started"));
    assertThat(sqlite).isEqualTo(oneAtATime);
  }

  @Test
  void stepsOverlapOnADuckdbCatalog() throws Exception {
    DuckLakeExtensions.assumeLoadable("ducklake");
    Path project = dir.resolve("meeting");
    MeetingScripts.write(project);
    LeaConfig config = config(project, "meeting", "duckdb", "2");
    CyclicBarrier barrier = new CyclicBarrier(2);
    try (CatalogSession session = CatalogSync.open(config, Reporters.collecting(messages))) {
      MeetingScripts.register(session.connection(), barrier);

      RunResult result = LeaRunner.run(session.connection(), config,
          Reporters.collecting(messages));

      assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
      assertThat(result.published()).containsExactlyInAnyOrder("core.left", "core.right");
      session.commit();
    }
  }
}
