package dev.lea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lea:benchmark} through the front-end API on a {@code file:} bucket that holds a real
 * catalog and a live lock: every transport is measured, and afterwards the bucket is as it was.
 */
class LeaBenchmarkTest {

  private static final String LOCK_KEY = "lake/.lea/locks/w.duckdb.lock";

  @TempDir Path dir;
  private Path bucket;

  @BeforeEach
  void catalogAndLock() throws Exception {
    bucket = dir.resolve("bucket");
    try (CatalogSession session = CatalogSync.open(config());
        Statement s = session.connection().createStatement()) {
      s.execute("CREATE TABLE t AS SELECT range AS i, md5(range::VARCHAR) AS h"
          + " FROM range(20000)");
      session.commit();
    }
    byte[] lock = ("{\"id\":\"someone-else\",\"who\":\"ci@agent\",\"pid\":1,\"operation\":\"run\","
        + "\"created\":\"2026-01-01T00:00:00Z\",\"expires\":\"2999-01-01T00:00:00Z\","
        + "\"version\":\"0.1.0\"}").getBytes(StandardCharsets.UTF_8);
    try (ObjectStore store = ObjectStores.file(bucket)) {
      store.put(LOCK_KEY, new ByteArrayInputStream(lock), lock.length, Map.of(),
          Condition.ifAbsent());
    }
  }

  private LeaConfig config() {
    return LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + bucket.resolve("lake").resolve("w.duckdb"))
        .with(LeaSettings.PRODUCTION, "true")
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
  }

  @Test
  void measuresEveryTransportAndLeavesTheBucketAsItWas() throws Exception {
    Map<String, String> before = snapshot();
    List<String> printed = new ArrayList<>();

    BenchmarkResult result = Lea.benchmark(config().with(LeaSettings.BENCHMARK_SIZE, "2MiB"),
        Reporters.collecting(printed));

    assertThat(result.catalogBytes()).isEqualTo(2 << 20);
    assertThat(result.source()).isEqualTo("a generated catalog");
    assertThat(result.rows()).extracting(r -> r.transport() + "/" + r.compression())
        .containsExactly("object-copy/none", "object-copy/zstd", "object-copy/gzip",
            "parquet-blob/zstd", "chunked/zstd");
    assertThat(result.floor().storedBytes()).isEqualTo(2 << 20);
    BenchmarkResult.Row plain = result.rows().get(0);
    assertThat(plain.storedBytes()).isEqualTo(2 << 20);
    assertThat(result.rows().subList(1, 5)).allSatisfy(row ->
        assertThat(row.storedBytes()).as(row.transport()).isPositive().isLessThan(1 << 20));
    assertThat(result.rows()).allSatisfy(row -> {
      assertThat(row.upload()).isPositive();
      assertThat(row.download()).isPositive();
    });
    assertThat(result.location()).startsWith(bucket.resolve("lake").toUri() + ".lea/benchmark-")
        .matches(".*/benchmark-\\d{8}T\\d{6}-[0-9a-f]{8}/");
    assertThat(printed).anySatisfy(line -> assertThat(line)
        .matches(" +object-copy \\(zstd\\) +\\d+\\.\\d{3} +\\d+\\.\\d{3} +\\d+ +[\\d.]+ +[\\d.]+"));
    assertThat(printed).anySatisfy(line -> assertThat(line).startsWith("  raw put/get (floor)"));
    assertThat(printed.get(printed.size() - 1))
        .startsWith("Recommended: lea.ducklake.transport=")
        .contains("within 10% of the fastest round trip, the one storing the fewest bytes");

    assertThat(snapshot()).isEqualTo(before);
    try (Stream<Path> left = Files.list(bucket.resolve("lake").resolve(".lea"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("locks");
    }
  }

  @Test
  void usesACopyOfTheCatalogWhenNoSizeIsGiven() throws Exception {
    Map<String, String> before = snapshot();
    long catalogBytes;
    try (ObjectStore store = ObjectStores.file(bucket)) {
      catalogBytes = store.head("lake/w.duckdb").orElseThrow().size();
    }

    BenchmarkResult result = Lea.benchmark(config(), Reporter.silent());

    assertThat(result.source()).isEqualTo("a copy of " + bucket.resolve("lake/w.duckdb").toUri());
    assertThat(result.catalogBytes()).isEqualTo(catalogBytes);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void removesTheLeaFolderItCreated() throws Exception {
    LocalFiles.deleteRecursively(bucket.resolve("lake").resolve(".lea"));

    Lea.benchmark(config().with(LeaSettings.BENCHMARK_SIZE, "1MiB"), Reporter.silent());

    assertThat(bucket.resolve("lake").resolve(".lea")).doesNotExist();
  }

  @Test
  void refusesWithoutARemoteCatalog() {
    assertThatThrownBy(() -> Lea.benchmark(LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "local.duckdb"), Reporter.silent()))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot benchmark transports: no remote catalog is configured");
  }

  /**
   * Every file of the bucket with its bytes and modification time, but the store's own per-key
   * lock files ({@code .lea-locks}, empty), which any write creates and the store keeps.
   */
  private Map<String, String> snapshot() throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(bucket)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String relative = bucket.relativize(file).toString();
        if (!relative.startsWith("lake/.lea-locks/")) {
          files.put(relative, LocalFiles.sha256(file) + " " + Files.getLastModifiedTime(file));
        }
      }
    }
    return files;
  }
}
