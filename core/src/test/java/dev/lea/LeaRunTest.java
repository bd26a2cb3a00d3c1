package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.runner.RunResult;
import dev.lea.spi.LeaException;
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
    LeaProject.in(project).script("core/numbers.sql",
        "SELECT\n    -- #UNIQUE\n    range AS n\nFROM range(5)\n");
  }

  private LeaConfig config() {
    return LeaProject.in(project).production();
  }

  @Test
  void aDryRunBeforeTheFirstRunPlansWithoutCreatingAnything() {
    RunResult result = Lea.run(config().with(LeaSettings.DRY_RUN, "true"), Reporters.collecting(output));
    assertThat(result.dryRun()).isTrue();
    assertThat(String.join("\n", output)).contains("core.numbers");
    assertThat(project.resolve("bucket")).doesNotExist();
  }

  @Test
  void aRunPublishesAndADryRunAfterwardsLeavesNoLock() {
    RunResult first = Lea.run(config(), Reporters.collecting(output));
    assertThat(first.succeeded()).isTrue();
    assertThat(first.published()).contains("core.numbers");
    assertThat(project.resolve("bucket/warehouse.duckdb")).exists();

    RunResult dry = Lea.run(config().with(LeaSettings.DRY_RUN, "true"), Reporters.collecting(output));
    assertThat(dry.dryRun()).isTrue();
    assertThat(project.resolve("bucket/.lea/locks/warehouse.duckdb.lock")).doesNotExist();
  }

  /** lea's dry run on DuckDB builds and tests the audit tables and promotes nothing. */
  @Test
  void aFailingDryRunTestsTheAuditTablesAndUploadsNothingWhateverThePolicy() throws Exception {
    assertThat(Lea.run(config(), Reporters.collecting(output)).succeeded()).isTrue();
    Path catalog = project.resolve("bucket/warehouse.duckdb");
    byte[] published = Files.readAllBytes(catalog);
    Files.writeString(project.resolve("scripts/core/numbers.sql"),
        "SELECT\n    -- #UNIQUE\n    range % 2 AS n\nFROM range(5)\n");

    assertThatThrownBy(() -> Lea.run(config().with(LeaSettings.DRY_RUN, "true")
        .with(LeaSettings.ON_FAILURE, "upload-always"), Reporters.collecting(output)))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("Test tests.core__numbers__n___unique failed");
    assertThat(Files.readAllBytes(catalog)).as("nothing uploaded").isEqualTo(published);
    assertThat(project.resolve("bucket").toFile().list()).allMatch(name ->
        !name.contains("failed") && !name.contains("conflict"));
  }

  @Test
  void aPassingDryRunUploadsNothing() throws Exception {
    assertThat(Lea.run(config(), Reporters.collecting(output)).succeeded()).isTrue();
    Path catalog = project.resolve("bucket/warehouse.duckdb");
    byte[] published = Files.readAllBytes(catalog);
    output.clear();

    RunResult dry = Lea.run(config().with(LeaSettings.DRY_RUN, "true"), Reporters.collecting(output));

    assertThat(dry.succeeded()).isTrue();
    assertThat(dry.script("core.numbers")).map(s -> s.status())
        .hasValue(dev.lea.runner.ScriptRun.Status.BUILT);
    assertThat(output).contains("Dry run; nothing uploaded.");
    assertThat(Files.readAllBytes(catalog)).isEqualTo(published);
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
