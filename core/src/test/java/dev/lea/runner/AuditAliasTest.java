package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pointing a query at audit tables keeps it valid, whatever names its FROM clause shares. */
class AuditAliasTest extends ProjectTestCase {

  @BeforeEach
  void open() throws SQLException {
    project.file("scripts/staging/orders.sql",
            "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(order_id, tag)")
        .file("scripts/core/orders.sql",
            "SELECT order_id, upper(tag) AS big FROM staging.orders");
  }

  @Test
  void twoTablesWithTheSameNameInOneFromClauseStayValid() throws Exception {
    project.file("scripts/analytics/joined.sql", """
        SELECT order_id, staging.orders.tag, core.orders.big
        FROM staging.orders JOIN core.orders USING (order_id)
        """);

    RunResult result = project.run();

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(project.rows("SELECT order_id, tag, big FROM analytics.joined ORDER BY 1"))
        .containsExactly(List.of(1, "a", "A"), List.of(2, "b", "B"));
  }

  @Test
  void theSameTableUnaliasedInTwoQueriesKeepsItsNameInEach() throws Exception {
    project.file("scripts/analytics/joined.sql", """
        WITH s AS (SELECT orders.order_id FROM staging.orders)
        SELECT orders.order_id, orders.big FROM core.orders
        WHERE orders.order_id IN (SELECT order_id FROM s)
        """);

    RunResult result = project.run();

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(project.rows("SELECT big FROM analytics.joined ORDER BY 1"))
        .containsExactly(List.of("A"), List.of("B"));
  }
}
