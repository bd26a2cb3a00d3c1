package dev.lea.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.Reporters;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBFunctions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steps run side by side where the DAG allows, as lea v0.19.1 runs them ({@code lea/conductor.py},
 * {@code materialize_scripts}; {@code lea/session.py}, a {@code ThreadPoolExecutor}): a script
 * starts once every script it reads is done, a test once its tables are; after a failure nothing
 * new starts and what runs finishes. Overlap is shown with DuckDB functions written in Java that
 * meet at a barrier, so nothing depends on timing; the wait bound only keeps a broken run from
 * hanging the build.
 */
class ConcurrentStepsTest {

  /** Long enough for a loaded machine; only reached when the steps do not overlap. */
  private static final long GUARD_SECONDS = 60;

  @TempDir
  Path root;

  private TestProject project;
  private final List<String> messages = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void open() throws SQLException {
    project = new TestProject(root);
  }

  @AfterEach
  void close() throws SQLException {
    project.close();
  }

  private RunResult run(String... properties) {
    return LeaRunner.run(project.connection, project.config(properties),
        Reporters.collecting(messages));
  }

  /** A function that returns its argument once {@code parties} calls are in flight at once. */
  private void meetingPoint(String name, int parties) throws SQLException {
    CyclicBarrier barrier = new CyclicBarrier(parties);
    DuckDBFunctions.scalarFunction().withName(name).withParameter(Integer.class)
        .withReturnType(Integer.class).withVolatile()
        .withIntFunction(value -> {
          try {
            barrier.await(GUARD_SECONDS, TimeUnit.SECONDS);
            return value;
          } catch (Exception e) {
            throw new IllegalStateException(name + ": the other steps never arrived", e);
          }
        })
        .register(project.connection.unwrap(DuckDBConnection.class));
  }

  private int indexOf(String message) {
    int index = messages.indexOf(message);
    assertThat(index).as("reported: %s\n%s", message, String.join("\n", messages))
        .isNotNegative();
    return index;
  }

  private int indexOfPrefix(String prefix) {
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("nothing reported starting with " + prefix + ":\n"
        + String.join("\n", messages));
  }

  @Test
  void independentScriptsAreInFlightAtTheSameTime() throws Exception {
    meetingPoint("meet", 2);
    project.file("scripts/core/left.sql", "SELECT meet(1) AS side");
    project.file("scripts/core/right.sql", "SELECT meet(2) AS side");

    RunResult result = run(LeaSettings.THREADS, "2");

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(project.rows("SELECT side FROM core.left UNION ALL SELECT side FROM core.right"
        + " ORDER BY 1")).containsExactly(List.of(1), List.of(2));
    assertThat(messages).contains("Running 2 of 2: 2 scripts, 0 tests; up to 2 at a time");
    int firstFinished = Math.min(indexOfPrefix("core.left: 1 row"),
        indexOfPrefix("core.right: 1 row"));
    assertThat(indexOf("core.left: started")).isLessThan(firstFinished);
    assertThat(indexOf("core.right: started")).isLessThan(firstFinished);
  }

  @Test
  void oneThreadRunsTheStepsOneAfterAnotherAsBefore() {
    project.file("scripts/core/left.sql", "SELECT 1 AS side");
    project.file("scripts/core/right.sql", "SELECT 2 AS side");
    project.file("scripts/core/both.sql",
        "SELECT side FROM core.left UNION ALL SELECT side FROM core.right");

    RunResult result = run(LeaSettings.THREADS, "1");

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(messages).noneMatch(m -> m.endsWith(": started"))
        .contains("Running 3 of 3: 3 scripts, 0 tests");
    List<String> progress = messages.stream().filter(m -> m.startsWith("core.")).toList();
    assertThat(progress).hasSize(3);
    assertThat(progress.get(2)).startsWith("core.both: 2 rows");
    assertThat(result.scripts()).extracting(ScriptRun::name)
        .containsExactlyElementsOf(LeaRunner.plan(project.connection, project.config())
            .toRun());
  }

  @Test
  void aStepStartsOnlyOnceTheTablesItReadsAreBuilt() throws Exception {
    project.file("scripts/raw/a.sql", "SELECT 1 AS id");
    project.file("scripts/raw/b.sql", "SELECT 2 AS id");
    project.file("scripts/core/ab.sql", """
        SELECT
            -- #UNIQUE
            id
        FROM (SELECT id FROM raw.a UNION ALL SELECT id FROM raw.b)
        """);
    project.file("scripts/core/top.sql", "SELECT max(id) AS id FROM core.ab");
    project.file("tests/top_is_two.sql", "SELECT * FROM core.top WHERE id <> 2");

    RunResult result = run(LeaSettings.THREADS, "4");

    assertThat(result.succeeded()).as(result.failureMessage().orElse("")).isTrue();
    assertThat(project.rows("SELECT id FROM core.top")).containsExactly(List.of(2));
    int aBuilt = indexOfPrefix("raw.a: 1 row");
    int bBuilt = indexOfPrefix("raw.b: 1 row");
    int abStarted = indexOf("core.ab: started");
    int abBuilt = indexOfPrefix("core.ab: 2 rows");
    assertThat(abStarted).isGreaterThan(aBuilt).isGreaterThan(bBuilt);
    assertThat(indexOf("core.top: started")).isGreaterThan(abBuilt);
    assertThat(indexOf("tests.core__ab__id___unique: started")).isGreaterThan(abBuilt);
    assertThat(indexOf("tests.top_is_two: started"))
        .isGreaterThan(indexOfPrefix("core.top: 1 row"));
    assertThat(result.scripts()).extracting(ScriptRun::name)
        .as("the summary keeps plan order, whatever order the steps finished in")
        .containsExactlyElementsOf(LeaRunner.plan(project.connection, project.config())
            .toRun());
  }

  @Test
  void aFailureStartsNothingNewAndLetsTheRunningStepFinish() throws Exception {
    CountDownLatch failureReported = new CountDownLatch(1);
    DuckDBFunctions.scalarFunction().withName("after_the_failure").withParameter(Integer.class)
        .withReturnType(Integer.class).withVolatile()
        .withIntFunction(value -> {
          try {
            if (!failureReported.await(GUARD_SECONDS, TimeUnit.SECONDS)) {
              throw new IllegalStateException("the failure was never reported");
            }
            return value;
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        })
        .register(project.connection.unwrap(DuckDBConnection.class));
    project.file("scripts/core/a_fails.sql", "SELECT error('boom') AS x");
    project.file("scripts/core/b_runs_beside.sql", "SELECT after_the_failure(7) AS x");
    project.file("scripts/core/c_queued.sql", "SELECT 3 AS x");
    project.file("scripts/core/d_queued.sql", "SELECT 4 AS x");
    project.file("scripts/core/e_reads_b.sql", "SELECT x FROM core.b_runs_beside");
    assertThat(LeaRunner.plan(project.connection, project.config()).toRun())
        .startsWith("core.a_fails", "core.b_runs_beside");

    RunResult result = LeaRunner.run(project.connection,
        project.config(LeaSettings.THREADS, "2"), Reporters.of(messages::add, warning -> {
          messages.add("WARNING: " + warning);
          if (warning.startsWith("core.a_fails: failed")) {
            failureReported.countDown();
          }
        }));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.failures()).extracting(ScriptRun::name).containsExactly("core.a_fails");
    assertThat(result.script("core.b_runs_beside").orElseThrow().status())
        .isEqualTo(ScriptRun.Status.BUILT);
    assertThat(result.scripts()).filteredOn(s -> s.status() == ScriptRun.Status.NOT_RUN)
        .extracting(ScriptRun::name)
        .containsExactlyInAnyOrder("core.c_queued", "core.d_queued", "core.e_reads_b");
    assertThat(messages).noneMatch(m -> m.startsWith("core.c_queued")
        || m.startsWith("core.d_queued") || m.startsWith("core.e_reads_b"));
    assertThat(messages).filteredOn(m -> m.startsWith("WARNING: core.a_fails: failed"))
        .as("the failed step is reported as it happens").hasSize(1);
    assertThat(messages).filteredOn(m -> m.contains("Cannot run core.a_fails"))
        .as("its message is the run's error, which the front-end shows once").isEmpty();
    assertThat(result.failureMessage().orElseThrow()).startsWith("Cannot run core.a_fails")
        .contains("Nothing was published");
    assertThat(project.tables()).contains("core.b_runs_beside___audit")
        .noneMatch(t -> t.equals("core.b_runs_beside") || t.startsWith("core.c_"));
  }

  @Test
  void threadsMustBeAWholeNumberOfAtLeastOne() {
    for (String bad : List.of("0", "-2", "two")) {
      assertThatThrownBy(() -> project.config(LeaSettings.THREADS, bad))
          .isInstanceOf(LeaException.class)
          .hasMessageStartingWith("Cannot use '" + bad + "' for lea.threads (LEA_THREADS, from ")
          .hasMessageEndingWith("expected a whole number of at least 1.");
    }
    assertThat(project.config(LeaSettings.THREADS, "3").integer(LeaSettings.THREADS))
        .contains(3L);
  }
}
