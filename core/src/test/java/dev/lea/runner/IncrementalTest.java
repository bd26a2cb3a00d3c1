package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncrementalTest extends ProjectTestCase {

  @BeforeEach
  void open() throws SQLException {
    project.file("seeds/events.csv", "account,amount\nacme,1\nglobex,2\n")
        .file("scripts/staging/events.sql", "SELECT account, amount FROM './seeds/events.csv'")
        .file("scripts/core/events.sql", """
            SELECT
                -- #INCREMENTAL
                account,
                amount * 10 AS amount
            FROM staging.events
            """)
        .file("scripts/analytics/totals.sql",
            "SELECT SUM(amount)::BIGINT AS total, COUNT(*) AS n FROM core.events");
    RunResult first = project.run();
    assertThat(first.succeeded()).as(first.failureMessage().orElse("")).isTrue();
  }

  @Test
  void replacesOnlyTheGivenValuesAndReadersSeeTheMergedTable() throws Exception {
    project.file("seeds/events.csv", "account,amount\nacme,5\nglobex,7\ninitech,3\n");

    RunResult result = project.run("lea.incremental", "account=acme,initech");

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(result.script("core.events")).map(ScriptRun::message)
        .hasValue("incremental account=acme,initech");
    assertThat(project.rows("SELECT account, amount FROM core.events ORDER BY account"))
        .as("globex keeps its old value").containsExactly(List.of("acme", 50L),
            List.of("globex", 20L), List.of("initech", 30L));
    assertThat(project.rows("SELECT total, n FROM analytics.totals"))
        .containsExactly(List.of(100L, 3L));
    assertThat(project.rows("SELECT COUNT(*) FROM staging.events"))
        .as("a script without the tag is built whole").containsExactly(List.of(3L));
  }
}
