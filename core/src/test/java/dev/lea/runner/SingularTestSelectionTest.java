package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A test that was not selected itself runs only when every table it reads runs (lea v0.19.1
 * {@code lea/conductor.py}, {@code determine_table_refs_to_run}: "test scripts whose dependencies
 * are all in the set of selected table references").
 */
class SingularTestSelectionTest extends ProjectTestCase {

  @BeforeEach
  void open() throws SQLException {
    project.file("scripts/staging/a.sql", "SELECT 1 AS x")
        .file("scripts/core/b.sql", "SELECT 2 AS y")
        .file("scripts/tests/both.sql",
            "SELECT * FROM staging.a, core.b WHERE x > y")
        .file("scripts/tests/only_b.sql", "SELECT * FROM core.b WHERE y < 0");
  }

  @Test
  void aTestReadingAnUnselectedTableDoesNotRun() {
    RunResult result = project.run("lea.select", "core.b");

    assertThat(result.scripts()).extracting(ScriptRun::name)
        .containsExactly("core.b", "tests.only_b");
  }

  @Test
  void aTestRunsWhenEveryTableItReadsIsSelected() {
    RunResult result = project.run("lea.select", "staging.a,core.b");

    assertThat(result.scripts()).extracting(ScriptRun::name)
        .contains("tests.both", "tests.only_b");
  }

  @Test
  void anExplicitlySelectedTestRuns() {
    RunResult result = project.run("lea.select", "core.b,tests.both");

    assertThat(result.scripts()).extracting(ScriptRun::name).contains("tests.both");
  }
}
