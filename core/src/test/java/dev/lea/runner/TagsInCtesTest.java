package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * lea finds a tag wherever its comment block sits right above a line ending with an output column,
 * CTEs included (lea v0.19.1 {@code lea/comment.py}, {@code extract_comments}, fed with sqlglot's
 * {@code named_selects} in {@code lea/scripts.py}, where {@code SELECT *} over a CTE stands for the
 * CTE's columns).
 */
class TagsInCtesTest extends ProjectTestCase {

  @BeforeEach
  void open() throws SQLException {
    project.file("scripts/staging/payments.sql",
            "SELECT * FROM (VALUES (1, 10), (2, NULL)) t(customer_id, amount)")
        .file("scripts/core/expenses.sql", """
            with expenses as (
                select
                    customer_id,
                    -- #NO_NULLS
                    amount as customer_lifetime_value
                from staging.payments
            )

            select * from expenses
            """);
  }

  @Test
  void aTagInsideACteBecomesATestNamedAsLeaNamesIt() {
    RunResult result = project.run();

    assertThat(result.succeeded()).isFalse();
    assertThat(result.script("tests.core__expenses__customer_lifetime_value___no_nulls"))
        .map(ScriptRun::status).hasValue(ScriptRun.Status.FAILED);
    assertThat(result.published()).as("the NULLs are not published").isEmpty();
  }

  @Test
  void starsAreFollowedThroughCtesSubqueriesAndExcludes() {
    project.file("scripts/core/expenses.sql", """
        with base as (
            select
                customer_id,
                -- #UNIQUE
                amount as value
            from staging.payments
        ),
        renamed as (select b.* exclude (customer_id) from base b)
        select * from (select * from renamed) sub
        """);

    RunResult result = project.run();

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(result.script("tests.core__expenses__value___unique"))
        .map(ScriptRun::status).hasValue(ScriptRun.Status.PASSED);
  }

  @Test
  void aTagThatBelongsToNoOutputColumnIsAnErrorNotDropped() {
    project.file("scripts/core/expenses.sql", """
        with expenses as (
            select
                customer_id,
                -- #NO_NULLS
                amount
            from staging.payments
        )
        select customer_id from expenses
        """);

    assertThatThrownBy(project::run).isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot attach the assertion tag '#NO_NULLS' in"
            + " scripts/core/expenses.sql at line 4: the line below its comment block does not"
            + " end with a column of the script's output (customer_id).");
  }

  @Test
  void anUnattachedCommentThatNamesNoTagIsJustAComment() {
    project.file("scripts/core/expenses.sql", """
        select
            customer_id
        -- #1 source, see the wiki
        from staging.payments
        """);

    RunResult result = project.run();

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(result.scripts()).extracting(ScriptRun::name)
        .containsExactly("staging.payments", "core.expenses");
  }

  @Test
  void findsTheOutputColumnsOfStarsOverCtes() throws Exception {
    SqlParser parser = new SqlParser(project.connection);

    assertThat(parser.parse("with e as (select 1 as a, 2 as b) select * from e", "t")
        .namedSelects()).isEqualTo(List.of("a", "b"));
    assertThat(parser.parse("with e(x) as (select 1 as a, 2 as b) select e.*, 3 as c from e"
        + " join staging.t using (a)", "t").namedSelects()).isEqualTo(List.of("x", "b", "c"));
    assertThat(parser.parse("select * from staging.t", "t").namedSelects()).isEmpty();
  }
}
