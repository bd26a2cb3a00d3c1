package dev.lea.runner;

import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * {@code lea.print}, lea's {@code --print}: the rendered SQL of what a run would execute, printed
 * and not run. lea prints each query as its client sends it and still runs it; printing instead
 * of running means a mistaken flag can never publish anything.
 */
final class ScriptPrinter {

  private ScriptPrinter() {}

  /**
   * Renders and plans against an empty in-memory database, so no warehouse is locked, downloaded
   * or written, and prints each selected script and test in run order.
   */
  static RunResult print(LeaConfig config, Reporter reporter) {
    try (Connection empty = DriverManager.getConnection("jdbc:duckdb:")) {
      Project project = Project.load(empty, config);
      Plan plan = Planner.plan(project, config, new Warehouse(empty)).toPlan(project);
      for (ScriptRun step : plan.steps()) {
        if (step.status() == ScriptRun.Status.PLANNED) {
          Node node = project.node(TableName.parse(step.name()));
          reporter.info("-- " + node.name() + " (" + node.label() + ")\n" + node.sql() + ";\n");
        }
      }
      return new RunResult(plan.steps(), true, null);
    } catch (SQLException e) {
      throw LeaException.infrastructure("Cannot print the scripts: DuckDB could not open an"
          + " in-memory database: " + e.getMessage(), e);
    }
  }
}
