package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import java.nio.file.Files;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Orphan tables (published by this runner, their script gone) are dropped as lea's
 * {@code delete_orphan_tables} does, but only on a full run, listed in the plan first, and never
 * most of the warehouse at once without {@code lea.dropOrphans} (a wrong scripts folder).
 */
class OrphanDropTest extends ProjectTestCase {

  @BeforeEach
  void open() throws SQLException {
    project.file("scripts/core/a.sql", "SELECT 1 AS x").file("scripts/core/b.sql", "SELECT 2 AS y")
        .file("scripts/core/c.sql", "SELECT 3 AS z");
    assertThat(project.run().succeeded()).isTrue();
  }

  @Test
  void anEmptyScriptsFolderIsAnErrorAndDropsNothing() throws Exception {
    Files.createDirectories(project.directory.resolve("empty"));

    assertThatThrownBy(() -> project.run("lea.scripts", "empty"))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot run: the scripts folder ")
        .hasMessageContaining("holds no .sql or .sql.jinja script. Set lea.scripts (LEA_SCRIPTS)");
    assertThat(project.tables()).contains("core.a", "core.b", "core.c");
  }

  @Test
  void aRemovedScriptIsListedInThePlanAndTheDryRunThenDroppedByAFullRun() throws Exception {
    Files.delete(project.directory.resolve("scripts/core/c.sql"));

    assertThat(plan().describe())
        .contains("1 orphan to drop").contains("drop    core.c (its script is gone)");
    RunResult dry = project.run("lea.dryRun", "true");
    assertThat(dry.succeeded()).isTrue();
    assertThat(project.messages).anyMatch(m -> m.contains("no orphan dropped (a run would drop"
        + " core.c)"));
    assertThat(project.tables()).contains("core.c");

    assertThat(project.run("lea.select", "core.a").succeeded()).isTrue();
    assertThat(project.tables()).as("a selective run drops no orphan").contains("core.c");

    assertThat(project.run().succeeded()).isTrue();
    assertThat(project.tables()).doesNotContain("core.c").contains("core.a", "core.b");
    assertThat(project.messages).contains("Dropped core.c: its script is gone");
  }

  @Test
  void droppingMoreThanHalfOfTheTablesNeedsDropOrphans() throws Exception {
    Files.delete(project.directory.resolve("scripts/core/b.sql"));
    Files.delete(project.directory.resolve("scripts/core/c.sql"));

    assertThatThrownBy(project::run).isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot drop 2 of the 3 tables this warehouse holds as orphans")
        .hasMessageContaining("core.b, core.c")
        .hasMessageContaining("run again with -Dlea.dropOrphans=true");
    assertThat(project.tables()).contains("core.b", "core.c");

    assertThat(project.run("lea.dropOrphans", "true").succeeded()).isTrue();
    assertThat(project.tables()).doesNotContain("core.b", "core.c");
  }
}
