package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.Lea;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.lock.LockHeldException;
import dev.lea.runner.RunResult;
import dev.lea.spi.Reporter;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.sync.DuckLakeExtensions;
import dev.lea.sync.DuckLakeScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DuckLake catalog and table data in one S3Proxy bucket, the data written by DuckDB's httpfs with
 * the secret of {@code lea.duckdb.secrets}, used from several machines at once. The seeds'
 * single-machine scenario on S3 is the invoker IT {@code ducklake-s3-sqlite} (and
 * {@code -duckdb}).
 */
class DuckLakeS3IT {

  @TempDir Path dir;
  private S3ProxyServer server;
  private String previousId;
  private String previousSecret;

  @BeforeEach
  void start() throws Exception {
    server = S3ProxyServer.start(Files.createDirectories(dir.resolve("s3")));
    server.createBucket("bucket");
    previousId = System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
    previousSecret = System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
  }

  @AfterEach
  void stop() throws Exception {
    restore("aws.accessKeyId", previousId);
    restore("aws.secretAccessKey", previousSecret);
    server.close();
  }

  /** What a user sets for a bucket on an S3-compatible server. */
  static LeaConfig s3(LeaConfig config, S3ProxyServer server, String format) {
    String endpoint = server.endpoint().toString();
    return config
        .with(LeaSettings.CATALOG_URL, "s3://bucket/lake/catalog." + format)
        .with(LeaSettings.CATALOG_FORMAT, format)
        .with(LeaSettings.DATA_PATH, "s3://bucket/lake/data/")
        .with(S3Settings.S3_ENDPOINT, endpoint)
        .with(S3Settings.S3_REGION, "us-east-1")
        .with(S3Settings.S3_PATH_STYLE, "true")
        .with(LeaSettings.DUCKDB_SECRETS, "TYPE s3, KEY_ID '" + S3ProxyServer.ACCESS_KEY
            + "', SECRET '" + S3ProxyServer.SECRET_KEY + "', REGION 'us-east-1', ENDPOINT '"
            + endpoint.substring("http://".length()) + "', URL_STYLE 'path', USE_SSL false");
  }

  /** One machine: its own project checkout, cache and work directory, the shared bucket. */
  private DuckLakeScenario machine(String name, String format) {
    Path home = dir.resolve(name);
    LeaConfig config = s3(DuckLakeExtensions.config(home.resolve("project")), server, format)
        .with(LeaSettings.CACHE_DIR, home.resolve("cache").toString())
        .with(LeaSettings.WORK_DIR, home.resolve("work").toString());
    return new DuckLakeScenario(home.resolve("project"), config).writeProject();
  }

  /**
   * Two machines share the bucket: the second downloads what the first committed; while one holds
   * the lock the other is refused at once, or waits for it and then works on top of its commit.
   */
  @ParameterizedTest(name = "{0} catalog")
  @ValueSource(strings = {"sqlite", "duckdb"})
  void twoMachinesSeeEachOthersCommitsAndTakeTurns(String format) throws Exception {
    DuckLakeExtensions.assumeLoadable("ducklake", "httpfs", format.equals("sqlite") ? "sqlite"
        : "ducklake");
    DuckLakeScenario laptop = machine("laptop", format);
    DuckLakeScenario ci = machine("ci", format)
        .file("scripts/core/top_customer.sql",
            "SELECT customer_id FROM core.revenue ORDER BY revenue DESC LIMIT 1\n");
    laptop.run();

    ci.run(LeaSettings.SELECT, "core.top_customer");
    assertThat(ci.output).anyMatch(line -> line.startsWith("Downloaded catalog s3://bucket/lake/"));
    assertThat(ci.rows("SELECT customer_id FROM core.top_customer")).containsExactly(List.of(10.0));

    CountDownLatch waiting = new CountDownLatch(1);
    try (CatalogSession held = CatalogSync.open(laptop.config(), laptop.reporter())) {
      assertThatThrownBy(() -> ci.run(LeaSettings.SELECT, "core.top_customer"))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining("lea:unlock");
      CompletableFuture<RunResult> queued = CompletableFuture.supplyAsync(() -> Lea.run(
          ci.config().with(LeaSettings.LOCK_WAIT, "PT2M").with(LeaSettings.RESTART, "true")
              .with(LeaSettings.SELECT, "core.top_customer"), new Reporter() {
                @Override
                public void info(String message) {
                  if (message.startsWith("Waiting up to")) {
                    waiting.countDown();
                  }
                }

                @Override
                public void warn(String message) {}
              }));
      assertThat(waiting.await(2, TimeUnit.MINUTES)).as("the second run waits for the lock")
          .isTrue();
      try (Statement statement = held.connection().createStatement()) {
        statement.execute("CREATE OR REPLACE TABLE core.revenue AS"
            + " SELECT 12 AS customer_id, 1000.0 AS revenue");
      }
      held.commit();
      assertThat(queued.get(2, TimeUnit.MINUTES).published()).containsExactly("core.top_customer");
    }
    assertThat(ci.rows("SELECT customer_id FROM core.top_customer")).containsExactly(List.of(12.0));
  }

  /**
   * Readers need no lock: while a run holds it, a read-only session sees the last commit, and with
   * {@code lea.ducklake.snapshotVersion} an earlier one.
   */
  @ParameterizedTest(name = "{0} catalog")
  @ValueSource(strings = {"sqlite", "duckdb"})
  void readOnlyAndTimeTravelWhileAnotherRunHoldsTheLock(String format) throws Exception {
    DuckLakeExtensions.assumeLoadable("ducklake", "httpfs", format.equals("sqlite") ? "sqlite"
        : "ducklake");
    LeaConfig writer = machine("writer", format).config();
    LeaConfig reader = machine("reader", format).config().with(LeaSettings.READ_ONLY, "true");
    long firstSnapshot;
    try (CatalogSession session = CatalogSync.open(writer)) {
      try (Statement statement = session.connection().createStatement()) {
        statement.execute("CREATE TABLE t AS SELECT range AS v FROM range(100)");
      }
      firstSnapshot = ((Double) DuckLakeScenario.query(session,
          "SELECT max(snapshot_id) FROM ducklake_snapshots('my_ducklake')").get(0).get(0))
          .longValue();
      session.commit();
    }
    try (CatalogSession session = CatalogSync.open(writer);
        Statement statement = session.connection().createStatement()) {
      statement.execute("INSERT INTO t SELECT range FROM range(100, 150)");
      session.commit();
    }
    try (CatalogSession held = CatalogSync.open(writer)) {
      try (Statement statement = held.connection().createStatement()) {
        statement.execute("INSERT INTO t SELECT range FROM range(150, 160)");
      }
      assertThat(Lea.status(writer)).anyMatch(line -> line.startsWith("Lock: held by"));
      assertThat(count(reader)).isEqualTo(150);
      assertThat(count(reader.with(LeaSettings.SNAPSHOT_VERSION, Long.toString(firstSnapshot))))
          .isEqualTo(100);
      held.commit();
    }
    assertThat(count(reader)).isEqualTo(160);
  }

  private static long count(LeaConfig config) throws Exception {
    try (CatalogSession session = CatalogSync.open(config)) {
      List<List<Object>> rows = DuckLakeScenario.query(session, "SELECT count(*) FROM t");
      session.commit();
      return ((Double) rows.get(0).get(0)).longValue();
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
