package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lea skips a script only to resume after a failure: when the audit table an earlier failed run
 * left is newer than the script (lea v0.19.1 {@code lea/conductor.py},
 * {@code determine_table_refs_to_run}); downstream scripts then read those audit rows
 * ({@code lea/session.py}, {@code _is_dep_audited}). After a success every script runs again.
 */
class ResumeAfterFailureTest {

  @TempDir
  Path root;

  private TestProject project;

  @AfterEach
  void close() throws SQLException {
    project.close();
  }

  private void appendStudent(String row) throws Exception {
    Files.writeString(project.directory.resolve("seeds/raw_students.csv"), row + "\n",
        StandardOpenOption.APPEND);
  }

  @Test
  void aSecondRunAfterASuccessSeesChangedSeedData() throws Exception {
    project = TestProject.copyOf("school", root).env("SCHOOL_YEAR", "2024");
    assertThat(project.run().succeeded()).isTrue();
    appendStudent("5,Barbara,Stanford");

    RunResult second = project.run();

    assertThat(second.succeeded()).as(second.failureMessage().orElse("")).isTrue();
    assertThat(second.resumed()).isEmpty();
    assertThat(second.published()).contains("staging.students", "staging.grades",
        "core.yearly_results");
    assertThat(project.rows("SELECT COUNT(*) FROM staging.students")).containsExactly(
        List.of(5L));
  }

  @Test
  void aSeedRowThatBreaksAnAssertionFailsTheSecondRunAsLeaDoes() throws Exception {
    project = TestProject.copyOf("school", root).env("SCHOOL_YEAR", "2024");
    assertThat(project.run().succeeded()).isTrue();
    appendStudent("8,Andy,Cornell University");

    RunResult second = project.run();

    assertThat(second.succeeded()).isFalse();
    assertThat(second.script("tests.staging__students__university___set"))
        .map(ScriptRun::status).hasValue(ScriptRun.Status.FAILED);
    assertThat(project.rows("SELECT COUNT(*) FROM staging.students"))
        .as("nothing was published").containsExactly(List.of(4L));
  }

  private void failingProject() throws Exception {
    project = new TestProject(root);
    project.file("scripts/staging/a.sql", "SELECT 1 AS x")
        .file("scripts/core/b.sql", "SELECT x + 1 AS y FROM staging.a")
        .file("scripts/core/c.sql", "SELECT y * 10 AS z FROM core.b")
        .file("scripts/tests/c_small.sql", "SELECT * FROM core.c WHERE z > 5");
    RunResult failed = project.run();
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.script("tests.c_small")).map(ScriptRun::status)
        .hasValue(ScriptRun.Status.FAILED);
    assertThat(project.tables()).contains("staging.a___audit", "core.b___audit",
        "core.c___audit");
    // Rows only the audit tables hold: they reach the published tables only if resumed.
    project.execute("INSERT INTO staging.a___audit (x) VALUES (100)");
  }

  @Test
  void theRunAfterAFailureResumesFromTheAuditTablesAndShowsItInTheSummary() throws Exception {
    failingProject();
    project.file("scripts/tests/c_small.sql", "SELECT * FROM core.c WHERE z > 1000");
    project.messages.clear();

    RunResult resumed = project.run();

    assertThat(resumed.succeeded()).as(resumed.failureMessage().orElse("")).isTrue();
    assertThat(resumed.resumed()).containsExactly("staging.a", "core.b", "core.c");
    assertThat(resumed.script("tests.c_small")).map(ScriptRun::status)
        .hasValue(ScriptRun.Status.PASSED);
    assertThat(resumed.summary()).containsPattern("staging\\.a\\s+table\\s+resumed");
    assertThat(project.messages).anyMatch(m -> m.contains("3 resumed from the audit tables of"
        + " an earlier failed run (staging.a, core.b, core.c)"));
    assertThat(project.rows("SELECT x FROM staging.a ORDER BY x"))
        .containsExactly(List.of(1), List.of(100));
    assertThat(project.tables()).noneMatch(t -> t.endsWith("___audit"));

    RunResult after = project.run();

    assertThat(after.resumed()).as("after a success everything runs again").isEmpty();
    assertThat(project.rows("SELECT x FROM staging.a")).containsExactly(List.of(1));
  }

  @Test
  void aScriptChangedSinceTheFailureRunsAgainWithWhatReadsIt() throws Exception {
    failingProject();
    project.file("scripts/core/b.sql", "SELECT x + 2 AS y FROM staging.a");
    touchLater("scripts/core/b.sql");
    project.file("scripts/tests/c_small.sql", "SELECT * FROM core.c WHERE z > 100000");

    RunResult result = project.run();

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(result.resumed()).containsExactly("staging.a");
    assertThat(result.published()).containsExactly("core.b", "core.c");
    assertThat(project.rows("SELECT z FROM core.c ORDER BY z"))
        .as("core.b read the resumed audit rows of staging.a")
        .containsExactly(List.of(30), List.of(1020));
  }

  /** A script file changed after the audit table was built, whatever the clock's resolution. */
  private void touchLater(String path) throws Exception {
    Files.setLastModifiedTime(project.directory.resolve(path),
        FileTime.from(Instant.now().plus(1, ChronoUnit.MINUTES)));
  }

  @Test
  void aSelectiveRunReadsTheAuditRowsAFailedRunLeftUpstream() throws Exception {
    failingProject();
    touchLater("scripts/core/b.sql");

    RunResult result = project.run("lea.select", "core.b");

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(result.published()).containsExactly("core.b");
    assertThat(result.resumed()).isEmpty();
    assertThat(project.rows("SELECT y FROM core.b ORDER BY y")).containsExactly(List.of(2),
        List.of(101));
    assertThat(project.tables()).as("lea removes every leftover audit table after a success")
        .noneMatch(t -> t.endsWith("___audit"));
  }

  @Test
  void restartDropsTheLeftoverAuditTablesAndRunsEverything() throws Exception {
    failingProject();
    project.file("scripts/tests/c_small.sql", "SELECT * FROM core.c WHERE z > 1000");

    RunResult result = project.run("lea.restart", "true");

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(result.resumed()).isEmpty();
    assertThat(result.published()).containsExactly("staging.a", "core.b", "core.c");
    assertThat(project.rows("SELECT x FROM staging.a")).containsExactly(List.of(1));
  }

  @Test
  void theDryRunPlanShowsWhatWouldBeResumed() throws Exception {
    failingProject();

    Plan plan = LeaRunner.plan(project.connection, project.config());

    assertThat(plan.resumed()).containsExactly("staging.a", "core.b", "core.c");
    assertThat(plan.toRun()).containsExactly("tests.c_small");
    assertThat(plan.describe()).startsWith("Plan: 1 to run, 3 resumed, 0 orphans to drop")
        .contains("resume  core.b (resumed: its audit table from an earlier failed run");
  }
}
