package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.Lea;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DuckLake whose catalog lives in a real PostgreSQL, through {@link Lea#run} as
 * {@code mvn lea:run} calls it with {@code LEA_DUCKLAKE_CATALOG_DATABASE=postgres:<conninfo>}: the
 * catalog is attached where it is, so there is no download, upload or lock, and a failing run
 * keeps what it committed. One server for the class, one database per test.
 */
class PostgresCatalogIT {

  /** Sent in the conninfo; the server trusts local connections, so only its printing is tested. */
  private static final String PASSWORD = "pg-Secret-4711";

  @RegisterExtension
  static final PostgresCatalogs postgres =
      new PostgresCatalogs("lake_run", "lake_url", "lake_status", "lake_moved");

  @TempDir Path dir;

  private DuckLakeScenario scenario(String database, String setting) throws Exception {
    Path project = dir.resolve("project");
    return new DuckLakeScenario(project, DuckLakeExtensions.config(project)
        .with(setting, "postgres:" + postgres.conninfo(database) + " password=" + PASSWORD)
        .with(LeaSettings.DATA_PATH, dir.resolve("data") + "/"));
  }

  @Test
  void freshRerunFailAndResumeOnAPostgresCatalog() throws Exception {
    scenario("lake_run", LeaSettings.CATALOG_DATABASE).freshRerunFailAndResumeInPlace(PASSWORD);
    // The calendar is larger than DuckLake inlines into the catalog: its rows are Parquet files
    // under the local data path.
    try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
      assertThat(files.filter(f -> f.toString().endsWith(".parquet"))).isNotEmpty();
    }
  }

  @Test
  void theCatalogUrlAcceptsThePostgresFormToo() throws Exception {
    DuckLakeScenario lake = scenario("lake_url", LeaSettings.CATALOG_URL).writeProject();
    assertThat(lake.run().published())
        .containsExactlyInAnyOrder("staging.orders", "staging.calendar", "core.revenue");
    assertThat(lake.rows("SELECT customer_id, revenue FROM core.revenue ORDER BY 1"))
        .containsExactly(List.of(10.0, 20.0), List.of(11.0, 3.0));
  }

  @Test
  void statusShowsTheCatalogAndItsSnapshotsWithoutALockOrThePassword() throws Exception {
    DuckLakeScenario lake = scenario("lake_status", LeaSettings.CATALOG_DATABASE).writeProject();
    lake.run();
    lake.run();

    List<String> status = Lea.status(lake.config());
    assertThat(status).noneMatch(line -> line.contains(PASSWORD))
        .noneMatch(line -> line.startsWith("Lock"))
        .anyMatch(line -> line.startsWith("Catalog ducklake:postgres:dbname=lake_status ")
            && line.contains("password=****"));
    String snapshots = status.stream().filter(line -> line.trim().startsWith("snapshots"))
        .findFirst().orElseThrow(() -> new AssertionError("no snapshot line in " + status));
    long count = Long.parseLong(snapshots.trim().split("\\s+")[1]);
    double inCatalog = (Double) lake.rows("SELECT count(*) FROM ducklake_snapshots('"
        + CatalogSession.DUCKLAKE_ALIAS + "')").get(0).get(0);
    assertThat(count).as(snapshots).isEqualTo((long) inCatalog).isGreaterThan(2);
  }

  /**
   * The guide's "Moving to Postgres": DuckLake's own copy, {@code COPY FROM DATABASE} from the
   * attached SQLite catalog to the attached Postgres one, then lea runs on Postgres from there.
   */
  @Test
  void anExistingSqliteCatalogMovesToPostgresWithDuckLakesCopy() throws Exception {
    Path project = dir.resolve("project");
    Path sqlite = dir.resolve("catalog.sqlite");
    DuckLakeScenario local = new DuckLakeScenario(project, DuckLakeExtensions.config(project)
        .with(LeaSettings.CATALOG_DATABASE, "sqlite:" + sqlite)
        .with(LeaSettings.DATA_PATH, dir.resolve("data") + "/")).writeProject();
    local.run();

    DuckLakeExtensions.assumeLoadable("sqlite");
    LeaConfig config = DuckLakeExtensions.config(project);
    try (Connection connection = DuckDb.open(null, config);
        Statement statement = connection.createStatement()) {
      for (String extension : List.of("ducklake", "sqlite", "postgres")) {
        DuckDb.load(connection, extension, config);
      }
      statement.execute("ATTACH 'ducklake:sqlite:" + sqlite + "' AS old (READ_ONLY)");
      statement.execute("ATTACH 'ducklake:postgres:" + postgres.conninfo("lake_moved")
          + "' AS moved (DATA_PATH '" + dir.resolve("moved-data") + "/')");
      statement.execute("COPY FROM DATABASE old TO moved");
    }

    DuckLakeScenario moved = new DuckLakeScenario(project, DuckLakeExtensions.config(project)
        .with(LeaSettings.CATALOG_DATABASE, "postgres:" + postgres.conninfo("lake_moved"))
        .with(LeaSettings.DATA_PATH, dir.resolve("moved-data") + "/"));
    assertThat(moved.rows("SELECT customer_id, revenue FROM core.revenue ORDER BY 1"))
        .containsExactly(List.of(10.0, 20.0), List.of(11.0, 3.0));
    assertThat(moved.rows("SELECT count(*) FROM staging.calendar")).containsExactly(List.of(90.0));
    assertThat(moved.rows("SELECT count(*) FROM lea_meta.script_state"))
        .containsExactly(List.of(3.0));
    moved.file("scripts/core/top_customer.sql",
        "SELECT customer_id FROM core.revenue ORDER BY revenue DESC LIMIT 1\n");
    assertThat(moved.run(LeaSettings.SELECT, "core.top_customer").published())
        .containsExactly("core.top_customer");
    assertThat(moved.rows("SELECT customer_id FROM core.top_customer"))
        .containsExactly(List.of(10.0));
  }
}
