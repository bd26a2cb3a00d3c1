package dev.lea.runner;

import dev.lea.LeaProject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBFunctions;

/**
 * core.left and core.right, which can only finish side by side: each calls {@code meet(n)}, which
 * waits at a barrier for the other, so a run that does not overlap them fails instead of passing.
 */
final class MeetingScripts {

  private MeetingScripts() {}

  static void write(Path project) {
    LeaProject.in(project)
        .script("core/left.sql", "SELECT meet(1) AS side")
        .script("core/right.sql", "SELECT meet(2) AS side");
  }

  /** Registers {@code meet} on the run's connection; the barrier is for two, and may be reused. */
  static void register(Connection connection, CyclicBarrier barrier) throws SQLException {
    DuckDBFunctions.scalarFunction().withName("meet").withParameter(Integer.class)
        .withReturnType(Integer.class).withVolatile()
        .withIntFunction(value -> {
          try {
            // Only a guard against a hang: reached when the scripts do not overlap.
            barrier.await(60, TimeUnit.SECONDS);
            return value;
          } catch (Exception e) {
            throw new IllegalStateException("the other script never arrived", e);
          }
        })
        .register(connection.unwrap(DuckDBConnection.class));
  }
}
