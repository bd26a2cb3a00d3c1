package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.BenchmarkResult;
import dev.lea.Lea;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.Reporter;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.testing.SystemProperties;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lea:benchmark} against a bucket on S3Proxy that holds a catalog and a live lock: every
 * transport is measured through the S3 store (multipart included), and afterwards the bucket holds
 * exactly the objects it held before, at the same versions.
 */
class BenchmarkS3IT {

  @TempDir Path dir;
  private S3ProxyServer server;
  private SystemProperties credentials;

  @BeforeEach
  void start() throws Exception {
    server = S3ProxyServer.start(Files.createDirectories(dir.resolve("s3")));
    server.createBucket("bucket");
    credentials = SystemProperties.set(Map.of("aws.accessKeyId", S3ProxyServer.ACCESS_KEY,
        "aws.secretAccessKey", S3ProxyServer.SECRET_KEY));
  }

  @AfterEach
  void stop() throws Exception {
    credentials.close();
    server.close();
  }

  @Test
  void measuresEveryTransportAndLeavesTheBucketAsItWas() throws Exception {
    byte[] catalog = "not read: a size is given".getBytes(StandardCharsets.UTF_8);
    byte[] lock = ("{\"id\":\"someone-else\",\"who\":\"ci@agent\",\"pid\":1,\"operation\":\"run\","
        + "\"created\":\"2026-01-01T00:00:00Z\",\"expires\":\"2999-01-01T00:00:00Z\","
        + "\"version\":\"0.1.0\"}").getBytes(StandardCharsets.UTF_8);
    List<String> before;
    try (ObjectStore store = server.newContractStore("bucket")) {
      store.put("lake/w.duckdb", new ByteArrayInputStream(catalog), catalog.length, Map.of(),
          Condition.ifAbsent());
      store.put("lake/.lea/locks/w.duckdb.lock", new ByteArrayInputStream(lock), lock.length,
          Map.of(), Condition.ifAbsent());
      before = objects(store);
    }
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "s3://bucket/lake/w.duckdb")
        .with(LeaSettings.PRODUCTION, "true")
        .with(S3Settings.S3_ENDPOINT, server.endpoint().toString())
        .with(S3Settings.S3_REGION, "us-east-1")
        .with(S3Settings.S3_PATH_STYLE, "true")
        // Two parts, so the multipart path is measured too.
        .with(S3Settings.S3_SINGLE_PUT_LIMIT, "5MiB")
        .with(S3Settings.S3_PART_SIZE, "5MiB")
        .with(LeaSettings.BENCHMARK_SIZE, "6MiB");

    BenchmarkResult result = Lea.benchmark(config, Reporter.silent());

    assertThat(result.location()).matches("s3://bucket/lake/\\.lea/benchmark-[^/]+/");
    assertThat(result.rows()).extracting(r -> r.transport() + "/" + r.compression())
        .containsExactly("object-copy/none", "object-copy/zstd", "object-copy/gzip",
            "parquet-blob/zstd", "chunked/zstd");
    assertThat(result.floor().storedBytes()).isEqualTo(6 << 20);
    assertThat(result.rows().get(0).storedBytes()).isEqualTo(6 << 20);
    assertThat(result.rows().subList(1, 5)).allSatisfy(row ->
        assertThat(row.storedBytes()).as(row.transport()).isPositive().isLessThan(3 << 20));
    assertThat(result.recommendation()).startsWith("Recommended: lea.ducklake.transport=");
    try (ObjectStore store = server.newContractStore("bucket")) {
      assertThat(objects(store)).isEqualTo(before);
    }
  }

  private static List<String> objects(ObjectStore store) throws Exception {
    return store.list("").stream().map(o -> o.key() + " " + o.size() + " " + o.version())
        .toList();
  }
}
