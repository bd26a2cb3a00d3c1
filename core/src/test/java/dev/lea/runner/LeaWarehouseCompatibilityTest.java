package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Warehouses move between lea and lea-java. lea's DuckDB client stamps each table with
 * {@code _materialized_timestamp} and reads {@code MAX(_materialized_timestamp)} of every table of
 * the warehouse before a run (lea v0.19.1 {@code lea/databases.py}, {@code materialize_sql_script}
 * and {@code list_table_stats}); a table without it stops lea with a binder error.
 */
class LeaWarehouseCompatibilityTest extends ProjectTestCase {

  @BeforeEach
  void open() throws SQLException {
    project.file("scripts/staging/a.sql", "SELECT 1 AS x")
        .file("scripts/core/b.sql", "SELECT * FROM staging.a")
        .file("scripts/core/c.sql", "SELECT *, x * 10 AS z FROM core.b");
  }

  /** What lea's DuckDBClient.materialize_sql_script runs, verbatim but for the names. */
  private void leaMaterializes(String destination, String query) throws SQLException {
    project.execute("CREATE SCHEMA IF NOT EXISTS " + destination.substring(0,
        destination.indexOf('.')));
    project.execute("CREATE OR REPLACE TABLE " + destination + " AS (\n"
        + "WITH logic_table AS (" + query + "),\n"
        + "materialized_infos AS (SELECT CURRENT_LOCALTIMESTAMP() AS _materialized_timestamp)\n"
        + "SELECT * FROM logic_table, materialized_infos\n)");
  }

  @Test
  void runsOnAWarehouseLeaBuiltAndResumesFromTheAuditTablesLeaLeft() throws Exception {
    leaMaterializes("staging.a", "SELECT 1 AS x");
    leaMaterializes("core.b", "SELECT 1 AS x");
    // A failed lea run left core.b's audit table, with a row only it holds.
    leaMaterializes("core.b___audit", "SELECT 7 AS x");

    RunResult result = project.run();

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(result.resumed()).containsExactly("core.b");
    assertThat(project.rows("SELECT x, z FROM core.c")).containsExactly(List.of(7, 70));
    assertThat(project.rows("SELECT column_name FROM duckdb_columns()"
        + " WHERE schema_name = 'core' AND table_name = 'c'")).containsExactly(List.of("x"),
        List.of("z"), List.of("_materialized_timestamp"));
  }

  @Test
  void everyTableLeaJavaLeavesAnswersLeasStatisticsQuery() throws Exception {
    assertThat(project.run().succeeded()).isTrue();
    project.file("scripts/core/c.sql", "SELECT * FROM core.b WHERE x < 0");
    assertThat(project.run().succeeded()).isTrue();

    List<String> tables = project.tables();
    assertThat(tables).contains("lea_meta.script_state", "staging.a", "core.b", "core.c");
    for (String table : tables) {
      assertThat(project.rows("SELECT MAX(_materialized_timestamp) AS last_modified FROM "
          + table)).as(table).hasSize(1);
    }
    assertThat(project.rows("SELECT column_name FROM duckdb_columns()"
        + " WHERE schema_name = 'core' AND table_name = 'c'"))
        .as("a stamp read through SELECT * is replaced, not duplicated")
        .containsExactly(List.of("x"), List.of("_materialized_timestamp"));
  }
}
