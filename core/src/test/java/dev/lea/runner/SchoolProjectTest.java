package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example project of src/test/resources/runner/school, run end to end. */
class SchoolProjectTest {

  @TempDir
  Path root;

  private TestProject project;

  @BeforeEach
  void copy() throws Exception {
    project = TestProject.copyOf("school", root).env("SCHOOL_YEAR", "2024");
  }

  @AfterEach
  void close() throws SQLException {
    project.close();
  }

  @Test
  void buildsEveryScriptIntoItsSchemaAndTable() throws Exception {
    RunResult result = project.run();

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(project.tables()).containsExactly("analytics.finance__expenses",
        "analytics.major", "core.yearly_results", "lea_meta.script_state", "staging.grades",
        "staging.students");
    assertThat(result.published()).containsExactlyInAnyOrder("staging.students",
        "staging.grades", "core.yearly_results", "analytics.major",
        "analytics.finance__expenses");
  }

  @Test
  void runsScriptsAfterTheTablesTheyRead() {
    List<String> order = project.run().scripts().stream().map(ScriptRun::name).toList();

    assertThat(order.indexOf("staging.grades")).isLessThan(order.indexOf("core.yearly_results"));
    assertThat(order.indexOf("staging.students")).isLessThan(order.indexOf("core.yearly_results"));
    assertThat(order.indexOf("core.yearly_results")).isLessThan(order.indexOf("analytics.major"))
        .isLessThan(order.indexOf("analytics.finance__expenses"));
    assertThat(order.indexOf("analytics.finance__expenses")).isLessThan(order.indexOf(
        "tests.budget"));
  }

  @Test
  void rendersJinjaWithEnvAndLoadYaml() throws Exception {
    project.run();

    assertThat(project.rows("SELECT student_id, school_year, round(average, 2)"
        + " FROM core.yearly_results ORDER BY student_id")).containsExactly(
        List.of(1L, "2024", 18.33), List.of(2L, "2024", 16.0), List.of(3L, "2024", 12.67),
        List.of(4L, "2024", 18.67));
  }

  @Test
  void keepsColumnsQualifiedWithTheTableNameWorkingWhileReadingAuditTables() throws Exception {
    RunResult result = project.run();

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(project.rows("SELECT first_name, round(average, 2) FROM analytics.major"))
        .containsExactly(List.of("Edsger", 18.67));
  }

  @Test
  void runsAssertionTagsAsTestsNamedLikeLea() {
    RunResult result = project.run();

    assertThat(result.scripts()).filteredOn(s -> s.kind() == ScriptRun.Kind.TEST)
        .extracting(ScriptRun::name, ScriptRun::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("tests.staging__students__student_id___unique",
                ScriptRun.Status.PASSED),
            org.assertj.core.groups.Tuple.tuple("tests.staging__students__student_id___no_nulls",
                ScriptRun.Status.PASSED),
            org.assertj.core.groups.Tuple.tuple("tests.staging__students__university___set",
                ScriptRun.Status.PASSED),
            org.assertj.core.groups.Tuple.tuple("tests.staging__grades__subject___unique_by",
                ScriptRun.Status.PASSED),
            org.assertj.core.groups.Tuple.tuple("tests.budget", ScriptRun.Status.PASSED));
  }

  @Test
  void resolvesRelativeSeedPathsAgainstTheProjectDirectory() throws Exception {
    // The test runs in the module folder, far from the project: DuckDB alone cannot find the seed.
    assertThat(Path.of("").toAbsolutePath()).isNotEqualTo(project.directory);
    assertThatThrownBy(() -> project.rows("SELECT * FROM './seeds/raw_students.csv'"))
        .isInstanceOf(SQLException.class).hasMessageContaining("raw_students.csv");

    RunResult result = project.run();

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(project.rows("SELECT COUNT(*) FROM staging.students"))
        .containsExactly(List.of(4L));
    assertThat(project.rows("SELECT current_setting('file_search_path')"))
        .as("the caller's setting is restored").containsExactly(List.of(""));
  }

  @Test
  void reportsProgressPerScriptAndASummaryTable() {
    RunResult result = project.run();

    assertThat(project.messages).anyMatch(m -> m.matches("staging\\.students: 4 rows, \\d+\\.\\d\\d s"));
    assertThat(project.messages).anyMatch(m -> m.matches("tests\\.budget: passed, \\d+\\.\\d\\d s"));
    assertThat(result.summary()).contains("script", "status", "rows", "seconds")
        .containsPattern("core\\.yearly_results\\s+table\\s+published\\s+4\\s+\\d+\\.\\d\\d");
    assertThat(project.messages).contains(result.summary());
  }

  @Test
  void dryRunBuildsAndTestsTheAuditTablesAndPromotesNothing() throws Exception {
    RunResult result = project.run("lea.dryRun", "true");

    assertThat(result.dryRun()).isTrue();
    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(result.scripts()).filteredOn(s -> s.kind() == ScriptRun.Kind.TABLE)
        .extracting(ScriptRun::status).containsOnly(ScriptRun.Status.BUILT);
    assertThat(result.script("tests.budget")).map(ScriptRun::status)
        .hasValue(ScriptRun.Status.PASSED);
    assertThat(project.tables()).as("nothing promoted, no audit table left").isEmpty();
    assertThat(project.messages.get(0)).startsWith("Plan: 10 to run, 0 resumed")
        .contains("run     core.yearly_results (selected)");
  }

  @Test
  void dryRunReportsAFailingAssertionWithoutTouchingThePublishedTables() throws Exception {
    assertThat(project.run().succeeded()).isTrue();
    java.nio.file.Files.writeString(project.directory.resolve("seeds/raw_students.csv"),
        "5,Barbara,Cornell\n", java.nio.file.StandardOpenOption.APPEND);

    RunResult result = project.run("lea.dryRun", "true");

    assertThat(result.succeeded()).isFalse();
    assertThat(result.script("tests.staging__students__university___set"))
        .map(ScriptRun::status).hasValue(ScriptRun.Status.FAILED);
    assertThat(project.rows("SELECT COUNT(*) FROM staging.students")).containsExactly(
        List.of(4L));
    assertThat(project.tables()).noneMatch(t -> t.endsWith("___audit"));
  }
}
