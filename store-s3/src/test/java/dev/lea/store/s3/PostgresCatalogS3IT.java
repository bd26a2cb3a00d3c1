package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaSettings;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.sync.DuckLakeExtensions;
import dev.lea.sync.DuckLakeScenario;
import dev.lea.sync.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog in a real PostgreSQL, the table data in an S3Proxy bucket written by DuckDB's httpfs
 * with the secret of {@code LEA_DUCKDB_SECRETS}, as the guide's "Moving to Postgres" sets it up:
 * lea-java attaches the catalog where it is, so nothing but Parquet files goes to the bucket.
 */
class PostgresCatalogS3IT {

  private static final String PASSWORD = "pg-Secret-4711";

  @TempDir Path dir;
  private PostgresServer postgres;
  private S3ProxyServer s3;

  @BeforeEach
  void start() throws Exception {
    DuckLakeExtensions.assumeLoadable("ducklake", "postgres", "httpfs");
    postgres = PostgresServer.start("lake");
    s3 = S3ProxyServer.start(Files.createDirectories(dir.resolve("s3")));
    s3.createBucket("bucket");
  }

  @AfterEach
  void stop() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void freshRerunFailAndResumeWithTheDataInABucket() throws Exception {
    String endpoint = s3.endpoint().getAuthority();
    Path project = dir.resolve("project");
    DuckLakeScenario lake = new DuckLakeScenario(project, DuckLakeExtensions.config(project)
        .with(LeaSettings.CATALOG_DATABASE,
            "postgres:" + postgres.conninfo("lake") + " password=" + PASSWORD)
        .with(LeaSettings.DATA_PATH, "s3://bucket/lake/data/")
        .with(LeaSettings.DUCKDB_SECRETS, "TYPE s3, KEY_ID '" + S3ProxyServer.ACCESS_KEY
            + "', SECRET '" + S3ProxyServer.SECRET_KEY + "', REGION 'us-east-1', ENDPOINT '"
            + endpoint + "', URL_STYLE 'path', USE_SSL false"));

    lake.freshRerunFailAndResumeInPlace(PASSWORD);

    try (ObjectStore bucket = s3.newContractStore("bucket")) {
      List<String> keys = bucket.list("").stream().map(ObjectInfo::key).toList();
      assertThat(keys).isNotEmpty().allSatisfy(key -> assertThat(key)
          .startsWith("lake/data/").endsWith(".parquet"));
    }
    assertThat(lake.output).noneMatch(line -> line.contains(S3ProxyServer.SECRET_KEY));
  }
}
