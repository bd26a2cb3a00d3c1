package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.lock.LockObjects;
import dev.lea.spi.LeaException;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.transport.CatalogIntegrityException;
import dev.lea.transport.CatalogMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A remote "catalog" that is not one, or whose metadata lies: opening fails with a {@code Cannot
 * ...} message, and the remote object, the lock, the cache and the work directory are as before.
 * Uses the plain DuckDB warehouse, which needs no extension.
 */
class CorruptCatalogTest {

  private static final String KEY = "warehouse.duckdb";

  @TempDir Path dir;
  private ObjectStore store;

  @BeforeEach
  void seedAGoodCatalog() throws Exception {
    store = ObjectStores.file(dir.resolve("bucket"));
    try (CatalogSession session = CatalogSync.open(config());
        Statement s = session.connection().createStatement()) {
      s.execute("CREATE TABLE t AS SELECT range AS i FROM range(1000)");
      session.commit();
    }
  }

  private LeaConfig config() {
    return LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + dir.resolve("bucket").resolve(KEY))
        .with(LeaSettings.LOCK, "lock-file")
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString())
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
  }

  static Stream<Arguments> lies() {
    return Stream.of(
        Arguments.of("sha mismatch", (UnaryOperator<Map<String, String>>) m ->
            with(m, CatalogMetadata.SHA256, "0".repeat(64)), "its SHA-256 is "),
        Arguments.of("crc32c mismatch", (UnaryOperator<Map<String, String>>) m ->
            with(m, CatalogMetadata.CRC32C, "AAAAAA=="), "but its metadata says AAAAAA=="),
        Arguments.of("size mismatch", (UnaryOperator<Map<String, String>>) m ->
            with(m, CatalogMetadata.SIZE, "12"), "bytes but its metadata says 12"),
        Arguments.of("unknown compression", (UnaryOperator<Map<String, String>>) m ->
            with(m, CatalogMetadata.COMPRESSION, "lzma"), "unknown compression 'lzma'"),
        Arguments.of("gzip claimed, plain bytes", (UnaryOperator<Map<String, String>>) m ->
            with(m, CatalogMetadata.COMPRESSION, "gzip"), "it cannot be decompressed"),
        Arguments.of("other transport", (UnaryOperator<Map<String, String>>) m ->
            with(m, CatalogMetadata.TRANSPORT, "parquet-blob"),
            "it was written by the 'parquet-blob' transport but 'object-copy' is configured"),
        Arguments.of("unknown transport", (UnaryOperator<Map<String, String>>) m ->
            with(m, CatalogMetadata.TRANSPORT, "carrier-pigeon"),
            "it was written by the 'carrier-pigeon' transport"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("lies")
  void lyingMetadataIsRefusedAndChangesNothing(String name,
      UnaryOperator<Map<String, String>> lie, String reason) throws Exception {
    byte[] content = remoteContent();
    ObjectInfo good = store.head(KEY).orElseThrow();
    store.put(KEY, new ByteArrayInputStream(content), content.length,
        lie.apply(good.metadata()), Condition.none());

    Snapshot before = snapshot();
    assertThatThrownBy(() -> CatalogSync.open(config()).close())
        .isInstanceOf(LeaException.class)
        .hasCauseInstanceOf(CatalogIntegrityException.class)
        .hasMessageStartingWith("Cannot download catalog ")
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((LeaException) e).kind())
            .isEqualTo(LeaException.Kind.INFRASTRUCTURE));
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void gzipBytesThatAreTruncatedAreRefused() throws Exception {
    byte[] content = remoteContent();
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(content);
    }
    byte[] truncated = java.util.Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
    store.put(KEY, new ByteArrayInputStream(truncated), truncated.length,
        with(store.head(KEY).orElseThrow().metadata(), CatalogMetadata.COMPRESSION, "gzip"),
        Condition.none());

    Snapshot before = snapshot();
    assertThatThrownBy(() -> CatalogSync.open(config()).close())
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot download catalog ")
        .hasMessageContaining("it cannot be decompressed");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void randomBytesWithCorrectMetadataFailTheAttachAndChangeNothing() throws Exception {
    byte[] random = new byte[256 * 1024];
    new Random(7).nextBytes(random);
    Map<String, String> metadata = with(store.head(KEY).orElseThrow().metadata(),
        CatalogMetadata.SHA256, HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(random)));
    metadata.put(CatalogMetadata.SIZE, Long.toString(random.length));
    store.put(KEY, new ByteArrayInputStream(random), random.length, metadata, Condition.none());

    Snapshot before = snapshot();
    assertThatThrownBy(() -> CatalogSync.open(config()).close())
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot open DuckDB database ")
        .hasMessageContaining("warehouse.duckdb")
        .hasMessageContaining("not a valid DuckDB database file");
    Snapshot after = snapshot();
    assertThat(after.remote).isEqualTo(before.remote);
    assertThat(after.lock).isFalse();
    assertThat(after.work).isEqualTo(before.work);
    // The cache is not compared: it mirrors the remote object, and the bytes did download intact.
  }

  private byte[] remoteContent() throws IOException {
    try (ReadResult read = store.read(KEY, null)) {
      return read.content().readAllBytes();
    }
  }

  private static Map<String, String> with(Map<String, String> metadata, String key,
      String value) {
    Map<String, String> changed = new HashMap<>(metadata);
    changed.put(key, value);
    return changed;
  }

  /** Everything a failed open must leave alone: remote object, lock, cache and work files. */
  private record Snapshot(String remote, boolean lock, Map<String, String> cache,
      List<String> work) {}

  private Snapshot snapshot() throws Exception {
    ObjectInfo info = store.head(KEY).orElseThrow();
    String remote = info.version() + ":" + HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(remoteContent()));
    return new Snapshot(remote, store.head(LockObjects.lockKey(KEY)).isPresent(), files(dir.resolve("cache")),
        List.copyOf(files(dir.resolve("work")).keySet()));
  }

  private static Map<String, String> files(Path root) throws Exception {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(root)) {
      return files;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return files;
  }
}
