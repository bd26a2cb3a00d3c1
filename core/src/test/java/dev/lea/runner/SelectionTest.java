package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Selection is planned against an empty warehouse, where every selected script would run. */
class SelectionTest extends ProjectTestCase {

  @BeforeEach
  void open() {
    project.orders()
        .file("scripts/analytics/finance/kpis.sql", "SELECT COUNT(*) AS n FROM core.orders")
        .file("scripts/analytics/daily.sql", "SELECT 1 AS day")
        .file("scripts/tests/kpis_positive.sql",
            "SELECT * FROM analytics.finance__kpis WHERE n < 0");
  }

  @Test
  void everythingByDefault() {
    assertThat(plan().toRun()).containsExactlyInAnyOrder("staging.customers", "staging.orders",
        "core.orders", "tests.core__orders__id___unique", "analytics.finance__kpis",
        "tests.kpis_positive", "analytics.daily");
  }

  @Test
  void oneTableWithTheTestsThatCheckIt() {
    assertThat(plan("lea.select", "core.orders").toRun())
        .containsExactly("core.orders", "tests.core__orders__id___unique");
  }

  /** lea's dag.py selects {@code analytics/} by {@code table_ref.schema == ("analytics",)}. */
  @Test
  void aFolderWithoutItsSubfoldersAsInLea() {
    assertThat(plan("lea.select", "analytics/").toRun()).containsExactly("analytics.daily");
    assertThat(plan("lea.select", "analytics/finance/", "lea.unselect", "tests/").toRun())
        .containsExactly("analytics.finance__kpis");
    assertThat(plan("lea.select", "analytics/finance").toRun())
        .containsExactly("analytics.finance__kpis", "tests.kpis_positive");
  }

  @Test
  void descendantsWithATrailingPlus() {
    assertThat(plan("lea.select", "staging.orders+", "lea.unselect", "tests/").toRun())
        .containsExactly("staging.orders", "core.orders", "analytics.finance__kpis");
  }

  @Test
  void ancestorsWithALeadingPlus() {
    assertThat(plan("lea.select", "+core.orders", "lea.unselect", "tests/").toRun())
        .containsExactlyInAnyOrder("staging.customers", "staging.orders", "core.orders");
  }

  @Test
  void commaSeparatedTermsAndLeasDottedSpellingOfNestedFolders() {
    assertThat(plan("lea.select", "analytics.daily, analytics.finance.kpis", "lea.unselect",
        "tests/").toRun()).containsExactlyInAnyOrder("analytics.daily",
        "analytics.finance__kpis");
  }

  @Test
  void unselectRemovesFromTheSelection() {
    assertThat(plan("lea.unselect", "staging/,analytics/,analytics/finance/,tests/").toRun())
        .containsExactly("core.orders");
    assertThat(plan("lea.unselect", "staging/,analytics/,tests/").toRun())
        .containsExactly("core.orders", "analytics.finance__kpis");
  }

  @Test
  void anUnknownNameIsRefusedWithCloseMatches() {
    assertThatThrownBy(() -> plan("lea.select", "core.ordrs,analytics/finanse/"))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot select 'core.ordrs': no script has that name (did you mean"
            + " core.orders?); 'analytics/finanse/': no script has that name (did you mean"
            + " analytics/finance/?). Check lea.select (LEA_SELECT): scripts/core/orders.sql"
            + " is core.orders, a folder is core/.")
        .extracting(e -> ((LeaException) e).kind()).isEqualTo(LeaException.Kind.USER);
  }

  @Test
  void anUnknownUnselectIsRefusedToo() {
    assertThatThrownBy(() -> plan("lea.unselect", "staging.nope"))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot select 'staging.nope': no script has that name")
        .hasMessageContaining("Check lea.unselect (LEA_UNSELECT)");
  }

  @Test
  void aSelectionThatLeavesNothingIsRefused() {
    assertThatThrownBy(() -> plan("lea.select", "core/", "lea.unselect", "core.orders"))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot run: nothing is left of lea.select 'core/' after lea.unselect"
            + " 'core.orders'.");
  }

  @Test
  void aDryRunOfASelectionRunsNothing() throws Exception {
    RunResult result = project.run("lea.select", "core.orders+", "lea.dryRun", "true");

    assertThat(result.scripts()).extracting(ScriptRun::name).containsExactly("core.orders",
        "tests.core__orders__id___unique", "analytics.finance__kpis", "tests.kpis_positive");
    assertThat(project.tables()).isEmpty();
  }
}
