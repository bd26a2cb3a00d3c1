package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.Lea;
import dev.lea.Reporters;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.runner.RunResult;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.testing.SqlRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The seeds' scenario on any store, through {@link Lea#run} as {@code mvn lea:run} calls it: a
 * fresh DuckLake is created, a second run reads the first's tables from the synced catalog, a
 * failing run follows the failure policy ({@code upload-always}: its audit tables land in the
 * bucket, the published tables stay), and the next run finishes the work. Each store's test gives
 * the configuration (catalog URL, data path, store and DuckDB secret settings).
 */
public final class DuckLakeScenario {

  /** More rows than DuckLake inlines into the catalog, so this table's data goes to the data path. */
  public static final String CALENDAR = "SELECT CAST(day AS DATE) AS day\nFROM"
      + " range(DATE '2026-01-01', DATE '2026-04-01', INTERVAL 1 DAY) AS t(day)\n";
  static final String FIRST_ORDERS = "(1, 10, 19.75), (2, 10, 0.25), (3, 11, 3.00)";
  static final String REVENUE = "SELECT customer_id, sum(amount) AS revenue\n"
      + "FROM staging.orders\nGROUP BY customer_id\n";

  private final Path project;
  private final LeaConfig config;
  public final List<String> output = new CopyOnWriteArrayList<>();

  public DuckLakeScenario(Path project, LeaConfig config) {
    this.project = project;
    this.config = config.with(LeaSettings.PRODUCTION, "true");
  }

  public LeaConfig config() {
    return config;
  }

  /** Writes the lea project: {@code staging.orders} (unique ids) and {@code core.revenue}. */
  public DuckLakeScenario writeProject() {
    file("scripts/staging/orders.sql", orders(FIRST_ORDERS));
    file("scripts/staging/calendar.sql", CALENDAR);
    file("scripts/core/revenue.sql", REVENUE);
    return this;
  }

  /** The orders script over literal rows, with an assertion tag as lea projects have. */
  static String orders(String values) {
    return "SELECT\n    -- #UNIQUE\n    order_id,\n    customer_id,\n    amount\nFROM (VALUES "
        + values + ") AS t(order_id, customer_id, amount)\n";
  }

  public DuckLakeScenario file(String path, String content) {
    try {
      Path file = project.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Reporter reporter() {
    return Reporters.of(output::add, message -> output.add("WARNING " + message));
  }

  public RunResult run(String... properties) {
    LeaConfig run = config;
    for (int i = 0; i < properties.length; i += 2) {
      run = run.with(properties[i], properties[i + 1]);
    }
    return Lea.run(run, reporter());
  }

  /** Rows of a query on the catalog in the bucket, through a read-only session. */
  public List<List<Object>> rows(String sql) throws SQLException {
    try (CatalogSession session = CatalogSync.open(config.with(LeaSettings.READ_ONLY, "true"))) {
      List<List<Object>> rows = query(session, sql);
      session.commit();
      return rows;
    }
  }

  /** Numbers as doubles, so that a test compares values whatever type DuckLake stored them as. */
  public static List<List<Object>> query(CatalogSession session, String sql) throws SQLException {
    return SqlRows.of(session.connection(), sql).stream()
        .map(row -> row.stream()
            .map(value -> value instanceof Number n ? (Object) n.doubleValue() : value).toList())
        .toList();
  }

  /** The whole scenario; the caller has checked that the extensions load. */
  public void freshRerunFailAndResume() throws SQLException {
    writeProject();
    RunResult first = run();
    assertThat(first.published())
        .containsExactlyInAnyOrder("staging.orders", "staging.calendar", "core.revenue");
    assertThat(output).anyMatch(line -> line.contains("yet; starting a fresh one."));
    assertThat(output).anyMatch(line -> line.startsWith("Uploaded catalog "));

    // A script the first run did not have reads a table only the synced catalog holds.
    file("scripts/core/top_customer.sql",
        "SELECT customer_id FROM core.revenue ORDER BY revenue DESC LIMIT 1\n");
    RunResult second = run(LeaSettings.SELECT, "core.top_customer");
    assertThat(second.published()).containsExactly("core.top_customer");
    assertThat(rows("SELECT customer_id FROM core.top_customer"))
        .containsExactly(List.of(10.0));

    // New orders, and a revenue script that fails: nothing is published, the audit table of the
    // orders goes to the bucket with the catalog (upload-always).
    file("scripts/staging/orders.sql", orders(FIRST_ORDERS + ", (4, 11, 40.00)"));
    file("scripts/core/revenue.sql", REVENUE.replace("sum(amount)", "sum(amount_typo)"));
    assertThatThrownBy(() -> run())
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("core.revenue")
        .hasMessageContaining("its partial catalog was uploaded to");
    assertThat(rows("SELECT count(*) FROM staging.orders")).containsExactly(List.of(3.0));
    assertThat(rows("SELECT count(*) FROM staging.orders___audit")).containsExactly(List.of(4.0));
    assertThat(rows("SELECT customer_id FROM core.top_customer")).containsExactly(List.of(10.0));

    file("scripts/core/revenue.sql", REVENUE);
    RunResult resumed = run();
    assertThat(resumed.succeeded()).isTrue();
    assertThat(rows("SELECT customer_id FROM core.top_customer")).containsExactly(List.of(11.0));
    assertThat(rows("SELECT customer_id, revenue FROM core.revenue ORDER BY 1"))
        .containsExactly(List.of(10.0, 20.0), List.of(11.0, 43.0));
    assertThat(rows("SELECT count(*) FROM staging.calendar")).containsExactly(List.of(90.0));
    assertThat(rows("SELECT table_name FROM duckdb_tables() WHERE database_name ="
        + " current_database() AND table_name LIKE '%audit'")).isEmpty();
  }

  /**
   * The scenario on a catalog attached where it is (Postgres): nothing is downloaded, uploaded or
   * locked, a failing run keeps its audit tables in the catalog, and no message or reporter line
   * carries {@code secret} (the conninfo password).
   */
  public void freshRerunFailAndResumeInPlace(String secret) throws SQLException {
    writeProject();
    RunResult first = run();
    assertThat(first.published())
        .containsExactlyInAnyOrder("staging.orders", "staging.calendar", "core.revenue");
    assertThat(output).noneMatch(line -> line.startsWith("Uploaded catalog "))
        .noneMatch(line -> line.contains("lock"));

    file("scripts/core/top_customer.sql",
        "SELECT customer_id FROM core.revenue ORDER BY revenue DESC LIMIT 1\n");
    RunResult second = run(LeaSettings.SELECT, "core.top_customer");
    assertThat(second.published()).containsExactly("core.top_customer");
    assertThat(rows("SELECT customer_id FROM core.top_customer")).containsExactly(List.of(10.0));

    file("scripts/staging/orders.sql", orders(FIRST_ORDERS + ", (4, 11, 40.00)"));
    file("scripts/core/revenue.sql", REVENUE.replace("sum(amount)", "sum(amount_typo)"));
    assertThatThrownBy(() -> run())
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("core.revenue")
        .hasMessageNotContaining(secret);
    assertThat(rows("SELECT count(*) FROM staging.orders")).containsExactly(List.of(3.0));
    assertThat(rows("SELECT count(*) FROM staging.orders___audit")).containsExactly(List.of(4.0));

    file("scripts/core/revenue.sql", REVENUE);
    RunResult resumed = run();
    assertThat(resumed.succeeded()).isTrue();
    assertThat(resumed.resumed()).contains("staging.orders");
    assertThat(rows("SELECT customer_id, revenue FROM core.revenue ORDER BY 1"))
        .containsExactly(List.of(10.0, 20.0), List.of(11.0, 43.0));
    assertThat(rows("SELECT customer_id FROM core.top_customer")).containsExactly(List.of(11.0));
    assertThat(rows("SELECT count(*) FROM staging.calendar")).containsExactly(List.of(90.0));
    assertThat(rows("SELECT table_name FROM duckdb_tables() WHERE database_name ="
        + " current_database() AND table_name LIKE '%audit'")).isEmpty();
    assertThat(output).noneMatch(line -> line.contains(secret));
  }
}
