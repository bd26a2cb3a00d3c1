package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.Reporters;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.sync.DuckLakeExtensions;
import dev.lea.sync.PostgresCatalogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DuckLake catalog in Postgres, DuckLake's multi-writer catalog, takes the commits of steps
 * running side by side on connections of one DuckDB instance.
 */
class ConcurrentPostgresCatalogIT {

  @RegisterExtension
  static final PostgresCatalogs postgres = new PostgresCatalogs("side_by_side");

  @TempDir
  Path dir;

  private final List<String> messages = Collections.synchronizedList(new ArrayList<>());

  @Test
  void stepsOverlapAndCommitSideBySide() throws Exception {
    Path project = dir.resolve("project");
    MeetingScripts.write(project);
    for (int i = 1; i <= 4; i++) {
      Files.writeString(project.resolve("scripts/core/part" + i + ".sql"),
          "SELECT range * " + i + " AS id FROM range(1000)");
    }
    Files.writeString(project.resolve("scripts/core/total.sql"), "SELECT sum(id) AS total FROM"
        + " (SELECT id FROM core.part1 UNION ALL SELECT id FROM core.part2 UNION ALL"
        + " SELECT id FROM core.part3 UNION ALL SELECT id FROM core.part4)");
    LeaConfig config = DuckLakeExtensions.config(project)
        .with(LeaSettings.CATALOG_DATABASE, "postgres:" + postgres.conninfo("side_by_side"))
        .with(LeaSettings.DATA_PATH, dir.resolve("data") + "/")
        .with(LeaSettings.PRODUCTION, "true")
        .with(LeaSettings.THREADS, "4");
    CyclicBarrier barrier = new CyclicBarrier(2);
    for (int run = 1; run <= 2; run++) {
      try (CatalogSession session = CatalogSync.open(config, Reporters.collecting(messages))) {
        MeetingScripts.register(session.connection(), barrier);

        RunResult result = LeaRunner.run(session.connection(), config,
            Reporters.collecting(messages));

        assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
        assertThat(result.published()).hasSize(7);
        try (Statement statement = session.connection().createStatement();
            ResultSet total = statement.executeQuery("SELECT total FROM core.total")) {
          total.next();
          assertThat(total.getLong(1)).isEqualTo(10 * 999 * 1000 / 2);
        }
        session.commit();
      }
    }
    assertThat(messages)
        .anyMatch(m -> m.startsWith("Running 7 of 7: ") && m.endsWith("; up to 4 at a time"));
  }
}
