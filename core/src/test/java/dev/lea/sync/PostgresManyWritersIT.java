package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.Lea;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.runner.RunResult;
import dev.lea.spi.Reporter;
import dev.lea.testing.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several {@code lea:run}s, each in its own JVM, writing one DuckLake whose catalog is in a real
 * PostgreSQL at the same time: DuckLake commits each writer's transaction in Postgres, so nobody
 * waits for a lock. The wall times, against the same runs serialised on a {@code file:} catalog
 * with {@code lock-file}, are printed for the record, not asserted.
 */
class PostgresManyWritersIT {

  private static final int WRITERS = 4;

  @RegisterExtension
  static final PostgresCatalogs postgres =
      new PostgresCatalogs("many", "same", "resume", "restart");

  @TempDir Path dir;

  private Map<String, String> postgresCatalog(String database) {
    return Map.of(LeaSettings.CATALOG_DATABASE, "postgres:" + postgres.conninfo(database),
        LeaSettings.DATA_PATH, dir.resolve("data-" + database) + "/",
        LeaSettings.PRODUCTION, "true");
  }

  /**
   * Writer {@code i}'s own project, with one script writing {@code w<i>.numbers} in Parquet.
   * Writers sharing one project are {@link #aWriterLeavesTheAuditTablesOfAnotherWritersRunAlone}.
   */
  private Path project(int i) throws IOException {
    Path project = dir.resolve("writer" + i);
    Path script = project.resolve("scripts/w" + i + "/numbers.sql");
    Files.createDirectories(script.getParent());
    Files.writeString(script, "SELECT n, n * " + i + " AS v FROM range(100000) AS t(n)\n");
    return project;
  }

  /**
   * Writer {@code i}'s settings: the catalog, and its own script selected, so that its run does not
   * take the other writers' tables for orphans of its project.
   */
  private static Map<String, String> writer(int i, Map<String, String> catalog) {
    Map<String, String> settings = new HashMap<>(catalog);
    settings.put(LeaSettings.SELECT, "w" + i + ".numbers");
    return settings;
  }

  @Test
  void fourWritersCommitAtOnceWithoutALock() throws Exception {
    List<Path> projects = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      projects.add(project(i));
    }

    long concurrent = runAll(projects, i -> writer(i, postgresCatalog("many")), true);

    DuckLakeScenario reader = new DuckLakeScenario(projects.get(0),
        DuckLakeExtensions.config(projects.get(0)).with(LeaSettings.CATALOG_DATABASE,
            "postgres:" + postgres.conninfo("many")));
    for (int i = 0; i < WRITERS; i++) {
      assertThat(reader.rows("SELECT count(*), sum(v) FROM w" + i + ".numbers"))
          .as("w%d.numbers", i)
          .containsExactly(List.of(100000.0, i * 4999950000.0));
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.map(Path::getFileName).map(Path::toString))
          .noneMatch(name -> name.toLowerCase().contains("lock"));
    }

    Path bucket = dir.resolve("bucket");
    long serialised = runAll(projects, i -> writer(i, Map.of(
        LeaSettings.CATALOG_URL, "file:" + bucket.resolve("catalog.sqlite"),
        LeaSettings.LOCK, "lock-file",
        LeaSettings.DATA_PATH, dir.resolve("data-file") + "/",
        LeaSettings.WORK_DIR, dir.resolve("work" + i).toString(),
        LeaSettings.CACHE_DIR, dir.resolve("cache" + i).toString(),
        LeaSettings.PRODUCTION, "true")), false);
    System.out.printf("PostgresManyWritersIT: %d writers at once on a Postgres catalog %d ms;"
        + " the same runs one after another on a file: catalog with lock-file %d ms%n",
        WRITERS, concurrent, serialised);
  }

  /**
   * Starts a writer on each project and waits until all are ready, so JVM start-up is not timed;
   * then runs them all at once, or one after another. Answers the wall time in ms.
   */
  private long runAll(List<Path> projects, IntFunction<Map<String, String>> settings,
      boolean atOnce) throws Exception {
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < WRITERS; i++) {
        children.add(LeaRunChild.start("writer" + i, projects.get(i), settings.apply(i), null));
      }
      for (ChildJvm child : children) {
        child.await("READY");
      }
      long start = System.nanoTime();
      if (atOnce) {
        for (ChildJvm child : children) {
          child.send("go");
        }
      }
      for (ChildJvm child : children) {
        if (!atOnce) {
          child.send("go");
        }
        assertThat(child.awaitAny("PUBLISHED", "FAILED")).as(child.label)
            .startsWith("PUBLISHED [w");
        assertThat(child.exit()).as(child.label).isZero();
        assertThat(child.output()).as("%s never mentions a lock on Postgres", child.label)
            .noneMatch(line -> atOnce && line.toLowerCase().contains("lock"));
      }
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  @Test
  void twoWritersOfOneTableConflictClearlyAndNothingIsLost() throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    Path rows = dir.resolve("rows.csv");
    Files.writeString(rows, "7\n");
    for (Path project : List.of(first, second)) {
      Path script = project.resolve("scripts/shared/events.sql");
      Files.createDirectories(script.getParent());
      Files.writeString(script, events(rows));
    }
    Map<String, String> catalog = postgresCatalog("same");
    LeaConfig config = DuckLakeExtensions.config(first);
    for (Map.Entry<String, String> setting : catalog.entrySet()) {
      config = config.with(setting.getKey(), setting.getValue());
    }
    DuckLakeScenario setup = new DuckLakeScenario(first, config);
    assertThat(setup.run().published()).containsExactly("shared.events");

    // Each writer reads its rows from a named pipe: opening the pipe for writing returns only
    // once the writer's statement reads it, so both transactions are open before either commits.
    Map<ChildJvm, Path> pipes = new HashMap<>();
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (Path project : List.of(first, second)) {
        Path pipe = project.resolve("rows.pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        Files.writeString(project.resolve("scripts/shared/events.sql"), events(pipe));
        ChildJvm child = LeaRunChild.start(project.getFileName().toString(), project, catalog,
            null);
        children.add(child);
        pipes.put(child, pipe);
      }
      for (ChildJvm child : children) {
        child.await("READY");
        child.send("go");
      }
      List<OutputStream> writers = new ArrayList<>();
      for (ChildJvm child : children) {
        writers.add(CompletableFuture.supplyAsync(() -> open(pipes.get(child)))
            .get(120, TimeUnit.SECONDS));
      }
      for (int i = 0; i < writers.size(); i++) {
        try (OutputStream out = writers.get(i)) {
          out.write((i + 1 + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      List<String> outcomes = new ArrayList<>();
      for (ChildJvm child : children) {
        outcomes.add(child.awaitAny("PUBLISHED", "FAILED"));
        child.exit();
      }
      System.out.println("PostgresManyWritersIT: same table at once: " + outcomes);
      assertThat(outcomes).filteredOn(line -> line.startsWith("PUBLISHED")).hasSize(1);
      String failure = outcomes.stream().filter(line -> line.startsWith("FAILED")).findFirst()
          .orElseThrow();
      assertThat(failure).startsWith("FAILED Cannot ").contains("shared.events")
          .containsIgnoringCase("conflict");
    } finally {
      children.forEach(ChildJvm::close);
    }
    // The winner's rows are the table; the loser's run, repeated, replaces them: nothing is stuck.
    List<List<Object>> published = setup.rows("SELECT n FROM shared.events");
    assertThat(published).containsAnyOf(List.of(1.0), List.of(2.0)).hasSize(1);
    Files.writeString(first.resolve("scripts/shared/events.sql"), events(rows));
    assertThat(setup.run().published()).containsExactly("shared.events");
    assertThat(setup.rows("SELECT n FROM shared.events")).containsExactly(List.of(7.0));
    assertThat(Lea.status(setup.config())).noneMatch(line -> line.startsWith("Lock"));
  }

  /**
   * Two writers of one project, each running its own {@code lea.select}: while the first has built
   * {@code staging.orders___audit} and not yet published it, the second runs to the end. lea takes
   * every audit table it finds at the start for a failed run's leftovers: its readers read them
   * (lea {@code session.py}, {@code _is_dep_audited}) and it drops them all on success and on a
   * restart (lea {@code conductor.py}, {@code delete_audit_tables}). With one writer that is right;
   * on a catalog several writers share at once they are another writer's work in progress, so the
   * second run reads the published orders and leaves the first one's audit table alone.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"resume", "restart"})
  void aWriterLeavesTheAuditTablesOfAnotherWritersRunAlone(String database) throws Exception {
    Path project = dir.resolve("project");
    DuckLakeScenario lake = new DuckLakeScenario(project, DuckLakeExtensions.config(project)
        .with(LeaSettings.CATALOG_DATABASE, "postgres:" + postgres.conninfo(database))
        .with(LeaSettings.DATA_PATH, dir.resolve("data-" + database) + "/")).writeProject();
    lake.run();
    lake.file("scripts/staging/orders.sql",
        DuckLakeScenario.orders(DuckLakeScenario.FIRST_ORDERS + ", (4, 11, 40.00)"));

    CountDownLatch built = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Reporter pausesAfterTheAuditTable = new Reporter() {
      @Override
      public void info(String message) {
        if (message.matches("staging\\.orders: [0-9,]+ rows?, .*")) {
          built.countDown();
          try {
            release.await(2, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void warn(String message) {}
    };
    CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(() -> Lea.run(
        lake.config().with(LeaSettings.SELECT, "staging.orders"), pausesAfterTheAuditTable));
    try {
      assertThat(built.await(2, TimeUnit.MINUTES)).as("the first writer built its audit table")
          .isTrue();
      RunResult second = lake.run(LeaSettings.SELECT, "core.revenue",
          LeaSettings.RESTART, Boolean.toString(database.equals("restart")));
      assertThat(second.published()).containsExactly("core.revenue");
      assertThat(lake.rows("SELECT customer_id, revenue FROM core.revenue ORDER BY 1"))
          .as("the second writer read the published orders, not the first one's audit table")
          .containsExactly(List.of(10.0, 20.0), List.of(11.0, 3.0));
      assertThat(lake.rows("SELECT count(*) FROM staging.orders___audit"))
          .containsExactly(List.of(4.0));
    } finally {
      release.countDown();
    }
    assertThat(first.get(2, TimeUnit.MINUTES).published()).containsExactly("staging.orders");
    assertThat(lake.rows("SELECT count(*) FROM staging.orders")).containsExactly(List.of(4.0));
    assertThat(lake.rows("SELECT table_name FROM duckdb_tables() WHERE database_name ="
        + " current_database() AND table_name LIKE '%audit'")).isEmpty();
  }

  private static String events(Path rows) {
    return "SELECT n FROM read_csv('" + rows + "', header = false, columns = {'n': 'BIGINT'})\n";
  }

  private static OutputStream open(Path pipe) {
    try {
      return Files.newOutputStream(pipe);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
