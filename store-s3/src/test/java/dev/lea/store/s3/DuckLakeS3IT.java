package dev.lea.store.s3;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.duckdb.DuckLakeExtensions;
import dev.lea.duckdb.DuckLakeScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seeds' scenario on S3Proxy: catalog and table data in one bucket, the data written by
 * DuckDB's httpfs with the secret of {@code lea.duckdb.secrets}.
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
        .with(LeaSettings.S3_ENDPOINT, endpoint)
        .with(LeaSettings.S3_REGION, "us-east-1")
        .with(LeaSettings.S3_PATH_STYLE, "true")
        .with(LeaSettings.DUCKDB_SECRETS, "TYPE s3, KEY_ID '" + S3ProxyServer.ACCESS_KEY
            + "', SECRET '" + S3ProxyServer.SECRET_KEY + "', REGION 'us-east-1', ENDPOINT '"
            + endpoint.substring("http://".length()) + "', URL_STYLE 'path', USE_SSL false");
  }

  @ParameterizedTest(name = "{0} catalog")
  @ValueSource(strings = {"sqlite", "duckdb"})
  void freshRerunFailAndResume(String format) throws Exception {
    DuckLakeExtensions.assumeLoadable("ducklake", "httpfs", format.equals("sqlite") ? "sqlite"
        : "ducklake");
    LeaConfig config = s3(DuckLakeExtensions.config(dir.resolve("project")), server, format)
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
    new DuckLakeScenario(dir.resolve("project"), config).freshRerunFailAndResume();
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
