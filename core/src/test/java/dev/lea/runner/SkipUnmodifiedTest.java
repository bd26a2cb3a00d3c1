package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkipUnmodifiedTest {

  @TempDir
  Path root;

  private TestProject project;

  @BeforeEach
  void open() throws SQLException {
    project = new TestProject(root);
    project.file("scripts/staging/a.sql", "SELECT 1 AS x")
        .file("scripts/core/b.sql", "SELECT x + 1 AS y FROM staging.a")
        .file("scripts/core/c.sql", "SELECT 10 AS z")
        .file("scripts/tests/b_positive.sql", "SELECT * FROM core.b WHERE y <= 0");
    RunResult first = project.run();
    assertThat(first.succeeded()).as(first.failureMessage().orElse("")).isTrue();
  }

  @AfterEach
  void close() throws SQLException {
    project.close();
  }

  @Test
  void aSecondRunSkipsEveryUnmodifiedScript() throws Exception {
    // A marker row survives only if the table is not rebuilt.
    project.execute("INSERT INTO core.c VALUES (11)");

    RunResult second = project.run();

    assertThat(second.succeeded()).isTrue();
    assertThat(second.skipped()).containsExactlyInAnyOrder("staging.a", "core.b", "core.c");
    assertThat(second.published()).isEmpty();
    assertThat(second.scripts()).extracting(ScriptRun::name).doesNotContain("tests.b_positive");
    assertThat(project.rows("SELECT z FROM core.c ORDER BY z"))
        .containsExactly(List.of(10), List.of(11));
  }

  @Test
  void aModifiedScriptRunsAgainWithWhatReadsIt() throws Exception {
    project.file("scripts/staging/a.sql", "SELECT 5 AS x");

    RunResult result = project.run();

    assertThat(result.published()).containsExactly("staging.a", "core.b");
    assertThat(result.skipped()).containsExactly("core.c");
    assertThat(result.script("tests.b_positive")).map(ScriptRun::status)
        .hasValue(ScriptRun.Status.PASSED);
    assertThat(project.rows("SELECT y FROM core.b")).containsExactly(List.of(6));
  }

  @Test
  void aTableRebuiltByAnEarlierSelectiveRunMakesItsReadersStale() throws Exception {
    project.file("scripts/staging/a.sql", "SELECT 7 AS x");
    assertThat(project.run("lea.select", "staging.a").published()).containsExactly("staging.a");

    RunResult result = project.run();

    assertThat(result.published()).containsExactly("core.b");
    assertThat(LeaRunner.plan(project.connection, project.config()).toRun()).isEmpty();
    assertThat(project.rows("SELECT y FROM core.b")).containsExactly(List.of(8));
  }

  @Test
  void aMissingTableIsBuiltAgain() throws Exception {
    project.execute("DROP TABLE core.c");

    Plan plan = LeaRunner.plan(project.connection, project.config());

    assertThat(plan.toRun()).containsExactly("core.c");
    assertThat(plan.steps()).filteredOn(s -> s.name().equals("core.c"))
        .extracting(ScriptRun::message).containsExactly("table missing");
  }

  @Test
  void restartRunsEverythingAgain() {
    RunResult result = project.run("lea.restart", "true");

    assertThat(result.published()).containsExactlyInAnyOrder("staging.a", "core.b", "core.c");
    assertThat(result.skipped()).isEmpty();
  }

  @Test
  void aChangedEnvironmentValueChangesARenderedScript() {
    project.file("scripts/core/d.sql.jinja", "SELECT '{{ env.REGION }}' AS region");
    project.env("REGION", "eu");
    assertThat(project.run().published()).containsExactly("core.d");

    assertThat(project.run().published()).isEmpty();
    project.env("REGION", "us");
    assertThat(project.run().published()).containsExactly("core.d");
  }
}
