package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamingAndDependenciesTest extends ProjectTestCase {

  private Project load() {
    return Project.load(project.connection, project.config());
  }

  @Test
  void namesTablesLikeLea() throws Exception {
    project.file("scripts/core/orders.sql", "SELECT 1 AS id")
        .file("scripts/analytics/finance/kpis.sql", "SELECT 2 AS n")
        .file("scripts/analytics/finance/monthly/revenue.sql.jinja", "SELECT {{ 3 }} AS r")
        .file("scripts/top.sql", "SELECT 4 AS t")
        .file("scripts/core/_draft.sql", "SELECT 5 AS ignored")
        .file("scripts/core/orders.backup.sql", "SELECT 6 AS ignored")
        .file("scripts/core/empty.sql", "")
        .file("scripts/core/notes.md", "# not a script")
        .file("tests/core/orders_exist.sql", "SELECT * FROM core.orders WHERE id IS NULL");

    assertThat(load().nodes().keySet()).extracting(TableName::toString)
        .containsExactlyInAnyOrder("core.orders", "analytics.finance__kpis",
            "analytics.finance__monthly__revenue", "top", "tests.core__orders_exist");

    RunResult result = project.run();
    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(project.tables()).containsExactly("analytics.finance__kpis",
        "analytics.finance__monthly__revenue", "core.orders", "lea_meta.script_state",
        "main.top");
    assertThat(result.script("tests.core__orders_exist")).map(ScriptRun::source)
        .hasValue("tests/core/orders_exist.sql");
  }

  @Test
  void onlyOtherScriptsTablesAreDependencies() {
    project.file("scripts/staging/orders.sql", "SELECT 1 AS id")
        .file("scripts/orders.sql", "SELECT 2 AS id")
        .file("scripts/core/report.sql", """
            WITH orders AS (SELECT * FROM staging.orders),
                 seeded AS (SELECT * FROM './seeds/x.csv')
            SELECT o.id
            FROM orders o
            JOIN read_csv('seeds/y.csv') y ON y.id = o.id
            JOIN other_db.staging.orders elsewhere ON elsewhere.id = o.id
            JOIN information_schema.tables t ON true
            """)
        .file("scripts/core/plain.sql", "SELECT * FROM orders JOIN main.orders USING (id)");

    Project loaded = load();

    assertThat(loaded.node(TableName.parse("core.report")).dependencies())
        .containsExactly(TableName.parse("staging.orders"));
    assertThat(loaded.node(TableName.parse("core.plain")).dependencies())
        .containsExactly(new TableName("", "orders"));
  }

  @Test
  void readsQuotedAndMixedCaseReferences() {
    project.file("scripts/core/orders.sql", "SELECT 1 AS id")
        .file("scripts/core/report.sql", "SELECT * FROM \"Core\" . \"ORDERS\"");

    assertThat(load().node(TableName.parse("core.report")).dependencies())
        .containsExactly(TableName.parse("core.orders"));
    RunResult result = project.run();
    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
  }

  @Test
  void rewritesEveryKindOfReferenceToTheAuditTables() throws Exception {
    project.file("scripts/core/orders.sql", "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(id, tag)")
        .file("scripts/core/report.sql", """
            -- Ünïcödé before the references moves DuckDB's byte offsets away from Java's.
            WITH recent AS (SELECT * FROM core.orders WHERE id > 1)
            SELECT
                core.orders.id,
                orders.tag,
                o2.tag AS other,
                (SELECT COUNT(*) FROM core.orders) AS total,
                'core.orders' AS literal
            FROM core.orders
            JOIN core . orders AS o2 USING (id)
            WHERE orders.id IN (SELECT id FROM recent)
            """);

    RunResult result = project.run();

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(project.rows("SELECT * EXCLUDE (_materialized_timestamp) FROM core.report"))
        .containsExactly(List.of(2, "b", "b", 2L, "core.orders"));
  }
}
