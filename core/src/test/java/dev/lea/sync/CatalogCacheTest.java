package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.LeaException;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.lock.LockFiles;
import dev.lea.store.Condition;
import dev.lea.store.FileObjectStore;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import dev.lea.store.ReadResult;
import dev.lea.sync.CountingStoreProvider.Call;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local catalog cache and change detection, through the session API on a plain DuckDB
 * warehouse whose file lives in a {@code counting:} bucket (a real file store whose calls are
 * recorded), once for each transport.
 */
class CatalogCacheTest {

  private static final String KEY = "w.duckdb";

  @TempDir Path bucketDirectory;
  @TempDir Path cacheDirectory;
  @TempDir Path project;

  private String bucket;
  private Location location;

  @BeforeEach
  void registerBucket() {
    bucket = CountingStoreProvider.register(bucketDirectory);
    location = Location.of("counting", bucket, KEY);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void secondSessionWithNothingChangedDownloadsAndUploadsNothing(String transport)
      throws Exception {
    SyncResult first = run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    assertThat(first.outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    assertThat(catalogCalls()).containsExactly(
        new Call("read", KEY, "NOT_FOUND"), new Call("put", KEY, "WRITTEN"));
    CountingStoreProvider.reset(bucket);

    List<Integer> answers = new ArrayList<>();
    SyncResult second = run(transport, statement -> answers.add(answer(statement)));

    assertThat(answers).containsExactly(42);
    assertThat(second.outcome()).isEqualTo(SyncResult.Outcome.UNCHANGED);
    assertThat(second.version()).isEqualTo(first.version());
    assertThat(catalogCalls()).containsExactly(new Call("read", KEY, "NOT_MODIFIED"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void corruptCacheEntryIsDiscardedAndTheCatalogDownloadedAgain(String transport)
      throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    Path cached = cache().file();
    flipOneBit(cached);
    CountingStoreProvider.reset(bucket);

    List<Integer> answers = new ArrayList<>();
    SyncResult second = run(transport, statement -> answers.add(answer(statement)));

    assertThat(answers).containsExactly(42);
    assertThat(second.outcome()).isEqualTo(SyncResult.Outcome.UNCHANGED);
    assertThat(catalogCalls()).containsExactly(new Call("read", KEY, "FOUND"));
    assertThatCacheServesTheNextSession(transport);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void partialCacheEntryIsDiscardedWithoutAConditionalRead(String transport) throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    Path cached = cache().file();
    try (FileChannel channel = FileChannel.open(cached, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() / 2);
    }
    CountingStoreProvider.reset(bucket);

    List<Integer> answers = new ArrayList<>();
    run(transport, statement -> answers.add(answer(statement)));

    assertThat(answers).containsExactly(42);
    assertThat(catalogCalls()).containsExactly(new Call("read", KEY, "FOUND"));
    assertThatCacheServesTheNextSession(transport);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void unreadableCacheEntryIsDiscarded(String transport) throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    Files.writeString(cache().file().resolveSibling("entry.json"), "{\"url\": ");
    CountingStoreProvider.reset(bucket);

    List<Integer> answers = new ArrayList<>();
    run(transport, statement -> answers.add(answer(statement)));

    assertThat(answers).containsExactly(42);
    assertThat(catalogCalls()).containsExactly(new Call("read", KEY, "FOUND"));
    assertThatCacheServesTheNextSession(transport);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void corruptRemoteCatalogFailsTheSessionAndKeepsTheCacheEntry(String transport)
      throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    Path cached = cache().file();
    byte[] cachedBefore = Files.readAllBytes(cached);
    String entryBefore = Files.readString(cached.resolveSibling("entry.json"));
    corruptRemoteObject();
    LeaConfig config = config(transport);

    assertThatThrownBy(() -> CatalogSync.open(config))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot download catalog " + bucketDirectory.toUri()
            .toString().replaceAll("/$", "") + "/" + KEY + ": ")
        .hasMessageContaining("the local copy and cache were left untouched");
    assertThat(cached).hasBinaryContent(cachedBefore);
    assertThat(cached.resolveSibling("entry.json")).hasContent(entryBefore);
    try (ObjectStore store = new FileObjectStore(bucketDirectory)) {
      assertThat(store.head(LockFiles.lockKey(KEY))).as("the lock was released").isEmpty();
    }
  }

  /** A third session finds a healthy entry again: one conditional read, nothing else. */
  private void assertThatCacheServesTheNextSession(String transport) throws Exception {
    CountingStoreProvider.reset(bucket);
    List<Integer> answers = new ArrayList<>();
    SyncResult third = run(transport, statement -> answers.add(answer(statement)));
    assertThat(answers).containsExactly(42);
    assertThat(third.outcome()).isEqualTo(SyncResult.Outcome.UNCHANGED);
    assertThat(catalogCalls()).containsExactly(new Call("read", KEY, "NOT_MODIFIED"));
  }

  private SyncResult run(String transport, String sql) throws SQLException {
    return run(transport, statement -> statement.execute(sql));
  }

  private SyncResult run(String transport, Work work) throws SQLException {
    try (CatalogSession session = CatalogSync.open(config(transport))) {
      try (Statement statement = session.connection().createStatement()) {
        work.accept(statement);
      }
      return session.commit();
    }
  }

  private LeaConfig config(String transport) {
    return LeaConfig.defaults(project)
        .with(LeaSettings.WAREHOUSE, "duckdb")
        .with(LeaSettings.DUCKDB_PATH, location.toString())
        .with(LeaSettings.TRANSPORT, transport)
        .with(LeaSettings.CACHE_DIR, cacheDirectory.toString());
  }

  private CatalogCache cache() {
    return CatalogCache.of(cacheDirectory, location);
  }

  private List<Call> catalogCalls() {
    return CountingStoreProvider.calls(bucket, KEY);
  }

  private void corruptRemoteObject() throws IOException {
    try (ObjectStore store = new FileObjectStore(bucketDirectory)) {
      byte[] bytes;
      Map<String, String> metadata;
      try (ReadResult read = store.read(KEY, null)) {
        metadata = read.info().metadata();
        bytes = read.content().readAllBytes();
      }
      bytes[bytes.length / 2] ^= 0x01;
      store.put(KEY, new ByteArrayInputStream(bytes), bytes.length, metadata, Condition.none());
    }
  }

  private static void flipOneBit(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);
  }

  private static int answer(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery("SELECT answer FROM t")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  @FunctionalInterface
  private interface Work {
    void accept(Statement statement) throws SQLException;
  }
}
