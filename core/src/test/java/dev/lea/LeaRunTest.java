package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.runner.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Lea#run} end to end on a file: bucket: dry run, real run, failing run. */
class LeaRunTest {

  @TempDir Path project;
  private final List<String> output = new ArrayList<>();

  @BeforeEach
  void project() throws Exception {
    Files.createDirectories(project.resolve("scripts/core"));
    Files.writeString(project.resolve("scripts/core/numbers.sql"),
        "SELECT\n    -- #UNIQUE\n    range AS n\nFROM range(5)\n");
  }

  private LeaConfig config() {
    return LeaConfig.defaults(project)
        .with(LeaSettings.DUCKDB_PATH, "file:bucket/warehouse.duckdb")
        .with(LeaSettings.PRODUCTION, "true")
        .with(LeaSettings.CACHE_DIR, project.resolve("cache").toString());
  }

  @Test
  void aDryRunBeforeTheFirstRunPlansWithoutCreatingAnything() {
    RunResult result = Lea.run(config().with(LeaSettings.DRY_RUN, "true"), Reporters.collecting(output));
    assertThat(result.dryRun()).isTrue();
    assertThat(String.join("\n", output)).contains("core.numbers");
    assertThat(project.resolve("bucket")).doesNotExist();
  }

  @Test
  void aRunPublishesAndADryRunAfterwardsShowsItSkipped() {
    RunResult first = Lea.run(config(), Reporters.collecting(output));
    assertThat(first.succeeded()).isTrue();
    assertThat(first.published()).contains("core.numbers");
    assertThat(project.resolve("bucket/warehouse.duckdb")).exists();

    RunResult dry = Lea.run(config().with(LeaSettings.DRY_RUN, "true"), Reporters.collecting(output));
    assertThat(dry.dryRun()).isTrue();
    assertThat(project.resolve("bucket/.lea/locks/warehouse.duckdb.lock")).doesNotExist();
  }

  @Test
  void aFailingAssertionFailsTheRunAndSaysWhereTheCatalogWent() throws Exception {
    Files.writeString(project.resolve("scripts/core/numbers.sql"),
        "SELECT\n    -- #UNIQUE\n    range % 2 AS n\nFROM range(5)\n");
    assertThatThrownBy(() -> Lea.run(config(), Reporters.collecting(output)))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("tests.core__numbers__n___unique")
        .hasMessageContaining("The run failed; its partial catalog was uploaded to");
    assertThat(project.resolve("bucket/.lea/locks/warehouse.duckdb.lock")).doesNotExist();
  }
}
