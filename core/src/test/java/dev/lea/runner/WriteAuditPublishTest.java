package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBFunctions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WriteAuditPublishTest extends ProjectTestCase {

  private void people(String rows) {
    project.file("scripts/core/people.sql", """
        SELECT
            -- #UNIQUE
            -- #NO_NULLS
            id,
            -- #UNIQUE_BY(team)
            name,
            team,
            -- #SET{'red', 'blue'}
            color
        FROM (VALUES %s) AS t(id, name, team, color)
        """.formatted(rows));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "tests.core__people__id___no_nulls|(1, 'ann', 'a', 'red'), (NULL, 'bob', 'a', 'blue')",
      "tests.core__people__id___unique|(1, 'ann', 'a', 'red'), (1, 'bob', 'a', 'blue')",
      "tests.core__people__name___unique_by|(1, 'ann', 'a', 'red'), (2, 'ann', 'a', 'blue')",
      "tests.core__people__color___set|(1, 'ann', 'a', 'red'), (2, 'bob', 'a', 'green')"})
  void aFailingAssertionTagPublishesNothing(String failingTest, String badRows) throws Exception {
    people("(1, 'ann', 'a', 'red'), (2, 'bob', 'a', 'blue'), (3, 'ann', 'b', 'red')");
    project.file("scripts/core/teams.sql", "SELECT DISTINCT team FROM core.people");
    RunResult good = project.run();
    assertThat(good.succeeded()).as(good.failureMessage().orElse("")).isTrue();
    assertThat(good.scripts()).filteredOn(s -> s.kind() == ScriptRun.Kind.TEST)
        .extracting(ScriptRun::status).hasSize(4).containsOnly(ScriptRun.Status.PASSED);

    people(badRows);
    RunResult bad = project.run();

    assertThat(bad.succeeded()).isFalse();
    assertThat(bad.failures()).extracting(ScriptRun::name).containsExactly(failingTest);
    assertThat(bad.failureMessage()).hasValueSatisfying(message -> assertThat(message)
        .startsWith("Test " + failingTest + " failed: it returned 1 row")
        .contains("scripts/core/people.sql line")
        .contains("Nothing was published"));
    assertThat(bad.script("core.people")).map(ScriptRun::status)
        .hasValue(ScriptRun.Status.BUILT);
    assertThat(project.rows("SELECT COUNT(*) FROM core.people")).containsExactly(List.of(3L));
    assertThat(project.tables()).contains("core.people___audit");
  }

  @Test
  void aFailingSingularTestKeepsEveryTableOfTheRunUnpublished() throws Exception {
    project.file("scripts/staging/orders.sql", "SELECT * FROM (VALUES (1, 10), (2, 20)) t(id, amount)")
        .file("scripts/core/revenue.sql", "SELECT SUM(amount) AS total FROM staging.orders")
        .file("scripts/tests/positive.sql", "SELECT * FROM core.revenue WHERE total < 0");
    assertThat(project.run().succeeded()).isTrue();

    project.file("scripts/staging/orders.sql",
        "SELECT * FROM (VALUES (1, 10), (2, -50)) t(id, amount)");
    RunResult result = project.run();

    assertThat(result.succeeded()).isFalse();
    assertThat(result.failures()).extracting(ScriptRun::name).containsExactly("tests.positive");
    assertThat(result.failureMessage().orElseThrow())
        .contains("Test tests.positive failed: it returned 1 row [scripts/tests/positive.sql]")
        .contains("First rows: {total=-40, _materialized_timestamp=");
    assertThat(project.rows("SELECT amount FROM staging.orders ORDER BY id"))
        .as("staging.orders passed its own checks but is not published alone")
        .containsExactly(List.of(10), List.of(20));
    assertThat(project.rows("SELECT total::BIGINT FROM core.revenue"))
        .containsExactly(List.of(30L));
  }

  /** A DuckDB function written in Java that throws: its reason, not the JVM's stack trace. */
  @Test
  void aFailingJavaFunctionIsReportedByItsReasonWithoutAStackTrace() throws Exception {
    DuckDBFunctions.scalarFunction().withName("checked_id").withParameter(Integer.class)
        .withReturnType(Integer.class)
        .withIntFunction(id -> {
          throw new IllegalArgumentException("id " + id + " is not in the registry");
        })
        .register(project.connection.unwrap(DuckDBConnection.class));
    project.file("scripts/core/checked.sql", "SELECT checked_id(7) AS id");

    RunResult result = project.run();

    assertThat(result.succeeded()).isFalse();
    assertThat(result.failureMessage().orElseThrow())
        .startsWith("Cannot run core.checked: Invalid Input Error: id 7 is not in the registry"
            + " [scripts/core/checked.sql]. Nothing was published;")
        .doesNotContain("at org.duckdb.", "at dev.lea.", "Exception");
  }

  @Test
  void aFailingScriptStopsTheRunAndNamesFileAndLine() throws Exception {
    project.file("scripts/staging/a.sql", "SELECT 1 AS id")
        .file("scripts/core/broken.sql", "SELECT\n    id,\n    no_such_column\nFROM staging.a")
        .file("scripts/core/later.sql", "SELECT * FROM core.broken");

    RunResult result = project.run();

    assertThat(result.succeeded()).isFalse();
    assertThat(result.failureMessage().orElseThrow())
        .startsWith("Cannot run core.broken: Binder Error: Referenced column \"no_such_column\""
            + " not found")
        .contains("[scripts/core/broken.sql line 3: no_such_column]");
    assertThat(result.script("core.later")).map(ScriptRun::status)
        .hasValue(ScriptRun.Status.NOT_RUN);
    assertThat(result.script("staging.a")).map(ScriptRun::status)
        .hasValue(ScriptRun.Status.BUILT);
    assertThat(project.tables()).containsExactly("staging.a___audit");
    assertThat(project.messages).anyMatch(m -> m.startsWith("WARNING: core.broken: failed, "));
  }

  @Test
  void anErrorInARenderedTemplateNamesTheRenderedLine() {
    project.file("scripts/core/t.sql.jinja",
        "{% set n = 1 %}\nSELECT\n  {{ n }} AS one,\n  missing_column\nFROM range(3)");

    RunResult result = project.run();

    assertThat(result.failureMessage().orElseThrow())
        .contains("[line 4 of the rendered scripts/core/t.sql.jinja: missing_column]");
  }

  @Test
  void theNextRunRemovesLeftoverAuditTables() throws Exception {
    project.file("scripts/core/a.sql", "SELECT 1 AS x")
        .file("scripts/tests/fails.sql", "SELECT * FROM core.a WHERE x = 1");
    assertThat(project.run().succeeded()).isFalse();
    assertThat(project.tables()).containsExactly("core.a___audit");

    project.file("scripts/tests/fails.sql", "SELECT * FROM core.a WHERE x = 2");
    RunResult result = project.run();

    assertThat(result.succeeded()).isTrue();
    assertThat(project.tables()).containsExactly("core.a", "lea_meta.script_state");
  }

  @Test
  void dropsTheTableOfADeletedScript() throws Exception {
    project.file("scripts/core/a.sql", "SELECT 1 AS x").file("scripts/core/b.sql", "SELECT 2 AS y");
    assertThat(project.run().succeeded()).isTrue();
    assertThat(project.tables()).contains("core.b");

    Files.delete(project.directory.resolve("scripts/core/b.sql"));
    RunResult result = project.run();

    assertThat(result.succeeded()).isTrue();
    assertThat(project.tables()).containsExactly("core.a", "lea_meta.script_state");
    assertThat(project.messages).contains("Dropped core.b: its script is gone");
  }

  @Test
  void leavesTablesTheRunnerDidNotCreateAlone() throws Exception {
    project.execute("CREATE SCHEMA core");
    project.execute("CREATE TABLE core.manual AS SELECT 42 AS answer");
    project.file("scripts/core/a.sql", "SELECT answer FROM core.manual");

    assertThat(project.run().succeeded()).isTrue();
    assertThat(project.run("lea.fresh", "true").succeeded()).isTrue();

    assertThat(project.tables()).contains("core.manual", "core.a");
    assertThat(project.rows("SELECT answer FROM core.a")).containsExactly(List.of(42));
  }

  @Test
  void freshDropsTheSelectedTablesAndRebuildsThem() throws Exception {
    project.file("scripts/core/a.sql", "SELECT 1 AS x").file("scripts/core/b.sql",
        "SELECT x + 1 AS y FROM core.a").file("scripts/core/c.sql", "SELECT 3 AS z");
    assertThat(project.run().succeeded()).isTrue();
    project.execute("INSERT INTO core.a (x) VALUES (99)");
    project.execute("INSERT INTO core.c (z) VALUES (99)");

    RunResult result = project.run("lea.fresh", "true", "lea.select", "core.a+");

    assertThat(result.published()).containsExactly("core.a", "core.b");
    assertThat(project.rows("SELECT x FROM core.a")).containsExactly(List.of(1));
    assertThat(project.rows("SELECT COUNT(*) FROM core.c")).as("not selected, kept as it was")
        .containsExactly(List.of(2L));
    assertThat(project.messages).contains("Fresh start: dropping 2 tables");
  }
}
