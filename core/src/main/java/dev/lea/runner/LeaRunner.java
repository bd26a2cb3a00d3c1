package dev.lea.runner;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.sql.Connection;
import java.util.function.UnaryOperator;

/**
 * Runs a lea project (SPEC §6) on a DuckDB connection the caller opened: a plain DuckDB file, or a
 * DuckLake attached and made current with {@code USE}. Tables go to the connection's current
 * database; which database that is (dev or production) is the caller's choice, helped by
 * {@link #devEnvironment}.
 *
 * <p>Bad input (unreadable templates, SQL that does not parse, cycles, unknown selections) throws a
 * {@link LeaException} of kind USER before anything is written. A failing script or test does not
 * throw: the {@link RunResult} says what failed, and {@link RunResult#throwIfFailed()} turns it into
 * an exception for front-ends that want one.
 */
public final class LeaRunner {

  private LeaRunner() {}

  /**
   * Runs the selected scripts with write-audit-publish. A dry run, as lea's on DuckDB, builds and
   * tests the audit tables and promotes nothing; it also prints the plan first.
   */
  public static RunResult run(Connection connection, LeaConfig config, Reporter reporter) {
    Project project = Project.load(connection, config);
    Warehouse warehouse = new Warehouse(connection);
    Planner.RunPlan runPlan = Planner.plan(project, config, warehouse);
    if (config.flag(LeaSettings.DRY_RUN)) {
      reporter.info(runPlan.toPlan(project).describe());
    }
    return new Executor(warehouse, project, runPlan, config, reporter).run();
  }

  /**
   * lea's {@code --print}: the rendered SQL of the selected scripts and tests in run order;
   * nothing is run.
   */
  public static RunResult print(LeaConfig config, Reporter reporter) {
    return ScriptPrinter.print(config, reporter);
  }

  /** What {@link #run} would do, without writing anything. */
  static Plan plan(Connection connection, LeaConfig config) {
    Project project = Project.load(connection, config);
    return Planner.plan(project, config, new Warehouse(connection)).toPlan(project);
  }

  /**
   * lea's development environments, applied before a session opens: without
   * {@code lea.production}, the configured warehouse location is replaced by the developer's own
   * copy ({@code warehouse_<username>.duckdb}), and {@code lea.dataset} renames it first. Postgres
   * catalogs are shared in place and stay as they are.
   */
  public static LeaConfig devEnvironment(LeaConfig config) {
    return DevEnvironment.apply(config);
  }

  /**
   * A run's first line: dev or production, and what it writes, given the configuration before and
   * after {@link #devEnvironment}.
   */
  public static String describeEnvironment(LeaConfig configured, LeaConfig effective) {
    return DevEnvironment.describe(configured, effective);
  }

  /**
   * Where a run writes: the configured database file or catalog as is with
   * {@code lea.production}, else its dev copy named by {@link #devLocation}.
   */
  static String effectiveLocation(String location, LeaConfig config) {
    return config.flag(LeaSettings.PRODUCTION) ? location
        : devLocation(location, config.username());
  }

  /**
   * lea's dev isolation: {@code _<username>} before the extension of the last path segment, so
   * {@code warehouse.duckdb} becomes {@code warehouse_max.duckdb} and
   * {@code s3://bucket/lake/catalog.sqlite} becomes {@code s3://bucket/lake/catalog_max.sqlite}.
   */
  static String devLocation(String location, String username) {
    return withStem(location, stem -> stem + "_" + username);
  }

  /**
   * {@code location} with the stem of its last path segment (the name before its extension)
   * replaced as Python's {@code Path.with_stem} does; trailing slashes stay.
   */
  static String withStem(String location, UnaryOperator<String> stem) {
    String path = location;
    String trailing = "";
    while (path.endsWith("/") && path.length() > 1) {
      trailing += "/";
      path = path.substring(0, path.length() - 1);
    }
    int segment = path.lastIndexOf('/') + 1;
    int dot = path.lastIndexOf('.');
    int end = dot > segment ? dot : path.length();
    return path.substring(0, segment) + stem.apply(path.substring(segment, end))
        + path.substring(end) + trailing;
  }
}
