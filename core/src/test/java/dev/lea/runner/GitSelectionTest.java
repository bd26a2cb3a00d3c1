package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code lea.select=git} as lea's dag.py {@code list_table_refs_that_changed}: scripts whose files
 * differ between the {@code main} branch and the index (committed on this branch or staged), or
 * between HEAD and the working tree; untracked files are not seen, as in lea. A real git
 * repository, driven by the git command.
 */
class GitSelectionTest extends ProjectTestCase {

  @BeforeEach
  void open() throws Exception {
    project.orders()
        .file("scripts/analytics/kpis.sql.jinja", "SELECT COUNT(*) AS n FROM core.orders")
        .file("README.md", "a lea project\n");
    git("init", "-q", "-b", "main");
    git("config", "user.email", "test@example.com");
    git("config", "user.name", "test");
    git("config", "commit.gpgsign", "false");
    git("add", "-A");
    git("commit", "-q", "-m", "initial");
  }

  @Test
  void anUnstagedChangeIsSelected() {
    project.file("scripts/core/orders.sql", "SELECT 2 AS id, 1 AS customer");
    assertThat(plan("lea.select", "git").toRun()).containsExactly("core.orders");
  }

  @Test
  void changesCommittedOnABranchOrStagedAreSelectedButUntrackedFilesAreNot() throws Exception {
    git("checkout", "-q", "-b", "feature");
    project.file("scripts/staging/customers.sql", "SELECT 2 AS id");
    git("commit", "-q", "-am", "customers");
    project.file("scripts/staging/payments.sql", "SELECT 1 AS id");
    git("add", "scripts/staging/payments.sql");
    project.file("scripts/staging/untracked.sql", "SELECT 1 AS id");
    project.file("README.md", "changed, but not a script\n");

    assertThat(plan("lea.select", "git").toRun())
        .containsExactlyInAnyOrder("staging.customers", "staging.payments");
  }

  @Test
  void gitPlusAddsDescendantsAndPlusGitAncestors() {
    project.file("scripts/staging/orders.sql", "SELECT 2 AS id, 1 AS customer_id");
    assertThat(plan("lea.select", "git+").toRun()).containsExactly("staging.orders",
        "core.orders", "tests.core__orders__id___unique", "analytics.kpis");
    project.file("scripts/analytics/kpis.sql.jinja", "SELECT 1 + COUNT(*) AS n FROM core.orders");
    assertThat(plan("lea.select", "+git", "lea.unselect", "tests/").toRun())
        .containsExactlyInAnyOrder("staging.customers", "staging.orders", "core.orders",
            "analytics.kpis");
  }

  @Test
  void aDeletedScriptIsNotSelected() throws Exception {
    Files.delete(project.directory.resolve("scripts/staging/customers.sql"));
    project.file("scripts/core/orders.sql", "SELECT 1 AS id");
    assertThat(plan("lea.select", "git").toRun()).containsExactly("core.orders");
  }

  @Test
  void nothingChangedIsAnErrorAsInLea() {
    assertThatThrownBy(() -> plan("lea.select", "git"))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot select git: no script changed against the branch main (committed"
            + " since, staged, or modified in the working tree; untracked files do not count, as"
            + " in lea). Check lea.select (LEA_SELECT), or git add a new script.");
  }

  @Test
  void outsideAGitRepositoryIsAnError() throws Exception {
    deleteRecursively(project.directory.resolve(".git"));
    assertThatThrownBy(() -> plan("lea.select", "git"))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot select git: " + project.directory
            + " is not in a git repository (git says: ");
  }

  private void git(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(project.directory.toFile())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("git %s: %s", command, output).isZero();
  }

  private static void deleteRecursively(Path path) throws IOException {
    try (var files = Files.walk(path)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
