package dev.lea.sync;

import static dev.lea.Reporters.collecting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.lock.LockObjects;
import dev.lea.spi.LeaException;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.sync.CountingStoreProvider.Call;
import dev.lea.transport.CatalogMetadata;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
  @TempDir Path work;

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

    SyncResult second = readTheAnswer(transport, new ArrayList<>());

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

    SyncResult second = assertTheCatalogIsReadWholeAndCachedAgain(transport);

    assertThat(second.outcome()).isEqualTo(SyncResult.Outcome.UNCHANGED);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void partialCacheEntryIsDiscardedWithoutAConditionalRead(String transport) throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    Path cached = cache().file();
    try (FileChannel channel = FileChannel.open(cached, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() / 2);
    }

    assertTheCatalogIsReadWholeAndCachedAgain(transport);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void unreadableCacheEntryIsDiscarded(String transport) throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    Files.writeString(cache().file().resolveSibling("entry.json"), "{\"url\": ");

    assertTheCatalogIsReadWholeAndCachedAgain(transport);
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
    try (ObjectStore store = ObjectStores.file(bucketDirectory)) {
      assertThat(store.head(LockObjects.lockKey(KEY))).as("the lock was released").isEmpty();
    }
  }

  /**
   * Issue 16: an unchanged cached session costs a rename, not a copy. The cached file itself (the
   * same inode) is in the session while it runs, and is the cache again afterwards.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void theCachedFileMovesIntoTheSessionAndBackWithoutACopy(String transport) throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    Object cachedInode = inode(cache().file());

    try (CatalogSession session = CatalogSync.open(config(transport))) {
      assertThat(cache().file()).doesNotExist();
      assertThat(inode(sessionCatalog())).isEqualTo(cachedInode);
      assertThat(session.commit().outcome()).isEqualTo(SyncResult.Outcome.UNCHANGED);
    }

    assertThat(inode(cache().file())).isEqualTo(cachedInode);
    assertThatCacheServesTheNextSession(transport);
  }

  /** The file a download wrote, or an upload sent, becomes the cache by a move. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void downloadedAndUploadedFilesBecomeTheCacheByAMove(String transport) throws Exception {
    Object uploaded;
    try (CatalogSession session = CatalogSync.open(config(transport));
        Statement statement = session.connection().createStatement()) {
      statement.execute("CREATE TABLE t AS SELECT 42 AS answer");
      statement.execute("CHECKPOINT");
      uploaded = inode(sessionCatalog());
      assertThat(session.commit().outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    }
    assertThat(inode(cache().file())).isEqualTo(uploaded);

    cache().discard();
    Object downloaded;
    try (CatalogSession session = CatalogSync.open(config(transport))) {
      downloaded = inode(sessionCatalog());
      session.commit();
    }
    assertThat(inode(cache().file())).isEqualTo(downloaded);
    assertThatCacheServesTheNextSession(transport);
  }

  /**
   * Issue 17 item 5: a cached catalog is only used when its digest is the one the remote recorded
   * for that version (the store's CRC32C of an object-copy catalog, the SHA-256 parquet-blob
   * records). Here the entry claims another digest than the remote's.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void aCachedCatalogWhoseDigestIsNotTheRemotesIsNotUsed(String transport) throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    Path entry = cache().file().resolveSibling("entry.json");
    String json = Files.readString(entry);
    String field = transport.equals("object-copy") ? "crc32c" : "sha256";
    String recorded = json.replaceAll(".*\"" + field + "\":\"([^\"]+)\".*", "$1");
    assertThat(recorded).as("the entry records a %s: %s", field, json).doesNotContain("{");
    Files.writeString(entry, json.replace(recorded, "A".repeat(recorded.length())));
    List<String> messages = new ArrayList<>();

    readTheAnswer(transport, messages);

    assertThat(catalogCalls()).containsExactly(new Call("read", KEY, "NOT_MODIFIED"),
        new Call("read", KEY, "FOUND"));
    assertThat(messages).anyMatch(m -> m.startsWith("The cached catalog's digest is not the one "
        + location + " recorded"));
    assertThatCacheServesTheNextSession(transport);
  }

  /**
   * Issue 17 item 5, as found: another user plants a catalog and a matching entry (mode 0666) in
   * a shared, world-writable cache directory. It must not become the base of a run.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void aCacheOthersCanWriteIsNotUsedAndSaysSoOnce(String transport) throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    Path planted = cache().file();
    Path entry = planted.resolveSibling("entry.json");
    String version = Files.readString(entry).replaceAll(".*\"version\":\"([^\"]+)\".*", "$1");
    Files.delete(planted);
    try (java.sql.Connection duckdb = java.sql.DriverManager.getConnection("jdbc:duckdb:"
        + planted); Statement statement = duckdb.createStatement()) {
      statement.execute("CREATE TABLE t AS SELECT 666 AS answer");
    }
    byte[] bytes = Files.readAllBytes(planted);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes);
    Files.writeString(entry, "{\"url\":\"" + location + "\",\"version\":\"" + version
        + "\",\"sha256\":\"" + dev.lea.internal.LocalFiles.sha256(planted) + "\",\"size\":"
        + bytes.length + ",\"crc32c\":\"" + Long.toHexString(crc.getValue()) + "\"}");
    for (Path path : new Path[] {planted, entry}) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
    }
    for (Path path = planted.getParent(); !path.equals(cacheDirectory.getParent());
        path = path.getParent()) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    List<String> messages = new ArrayList<>();

    List<Integer> answers = new ArrayList<>();
    run(transport, statement -> answers.add(answer(statement)), messages);
    run(transport, statement -> answers.add(answer(statement)), messages);

    assertThat(answers).containsExactly(42, 42);
    assertThat(messages).filteredOn(m -> m.startsWith("Not using the catalog cache "
        + cacheDirectory + ": it is not safe: ") && m.contains("is writable by other users"))
        .hasSize(1);
  }

  /**
   * Issue 16: a changed commit reads the catalog once, to upload it. object-copy records the
   * store's CRC32C computed on the way instead of a SHA-256 from a pass of its own, and that
   * CRC32C is what the cache keeps of the file.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy"})
  void aChangedCommitRecordsTheStoresChecksumWithoutASha256Pass(String transport)
      throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");

    ObjectInfo remote;
    try (ObjectStore store = ObjectStores.file(bucketDirectory)) {
      remote = store.head(KEY).orElseThrow();
    }
    assertThat(remote.metadata()).doesNotContainKey(CatalogMetadata.SHA256);
    assertThat(remote.crc32c()).isNotNull();
    assertThat(Files.readString(cache().file().resolveSibling("entry.json")))
        .contains("\"crc32c\":\"" + remote.crc32c() + "\"");
    assertThatCacheServesTheNextSession(transport);
  }

  /**
   * Issue 16, "each byte read once per commit": a commit that changed an existing catalog read it
   * whole to compare it with the downloaded version before reading it again to upload it. A file
   * whose size changed cannot hold the same bytes, so only the upload reads it; nor can one whose
   * first blocks changed (DuckDB rewrites a database header at every checkpoint), which is the
   * common case of a change that reuses free blocks and keeps the size. Measured as the bytes this
   * process read ({@code rchar} of {@code /proc/self/io}) over a catalog of several MiB, after a
   * first changed commit has loaded every class the second one needs.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"grows", "keeps its size"})
  void aChangedCommitReadsTheCatalogOnce(String change) throws Exception {
    Path io = Path.of("/proc/self/io");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(io),
        "counting the bytes a process reads needs Linux's /proc/self/io");
    String transport = "object-copy";
    run(transport, "CREATE TABLE big AS SELECT range AS i, md5(range::VARCHAR) AS h"
        + " FROM range(600000)");
    run(transport, "CREATE TABLE more_1 AS SELECT range AS i FROM range(200000)");
    run(transport, "CREATE TABLE small_1 AS SELECT 1 AS x");
    long size = Files.size(cache().file());
    assertThat(size).isGreaterThan(8L << 20);

    long before = bytesRead(io);
    SyncResult changed = run(transport, change.equals("grows")
        ? "CREATE TABLE more_2 AS SELECT range AS i FROM range(200000)"
        : "CREATE TABLE small_2 AS SELECT 2 AS x");
    long read = bytesRead(io) - before;

    assertThat(changed.outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    if (change.equals("grows")) {
      assertThat(Files.size(cache().file())).isGreaterThan(size);
    } else {
      assertThat(Files.size(cache().file())).isEqualTo(size);
    }
    assertThat(read).as("bytes read by a changed commit of a %d-byte catalog", size)
        .isLessThan(size + size / 2);
    CountingStoreProvider.reset(bucket);
    assertThat(run(transport, statement -> { }).outcome())
        .isEqualTo(SyncResult.Outcome.UNCHANGED);
    assertThat(catalogCalls()).containsExactly(new Call("read", KEY, "NOT_MODIFIED"));
  }

  private static long bytesRead(Path io) throws IOException {
    return Files.readAllLines(io).stream().filter(line -> line.startsWith("rchar:"))
        .mapToLong(line -> Long.parseLong(line.substring("rchar:".length()).trim()))
        .findFirst().orElseThrow();
  }

  /**
   * The cached file is attached while the lock is being taken, before the conditional read says
   * whether it is current. Here another machine (another cache) committed meanwhile: the session
   * must see that commit, not the cached version it attached first.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void aCachedCatalogAttachedEarlyIsNotUsedWhenTheRemoteChanged(String transport)
      throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    LeaConfig elsewhere = config(transport)
        .with(LeaSettings.CACHE_DIR, project.resolve("other-cache").toString());
    try (CatalogSession other = CatalogSync.open(elsewhere)) {
      other.connection().createStatement().execute("UPDATE t SET answer = 43");
      assertThat(other.commit().outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    }
    CountingStoreProvider.reset(bucket);
    List<Integer> answers = new ArrayList<>();

    SyncResult result = run(transport, statement -> answers.add(answer(statement)));

    assertThat(answers).containsExactly(43);
    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.UNCHANGED);
    assertThat(catalogCalls()).containsExactly(new Call("read", KEY, "FOUND"));
    CountingStoreProvider.reset(bucket);
    List<Integer> cached = new ArrayList<>();
    run(transport, statement -> cached.add(answer(statement)));
    assertThat(cached).containsExactly(43);
    assertThat(catalogCalls()).containsExactly(new Call("read", KEY, "NOT_MODIFIED"));
  }

  /**
   * A session that cannot get the lock has already moved the cached file in and attached it; the
   * file goes back to the cache untouched, so the next session is still served from it.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void aSessionThatCannotGetTheLockGivesTheCachedFileBack(String transport) throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    Object cachedInode = inode(cache().file());
    LeaConfig elsewhere = config(transport)
        .with(LeaSettings.CACHE_DIR, project.resolve("other-cache").toString());
    try (CatalogSession holder = CatalogSync.open(elsewhere)) {
      LeaConfig noWait = config(transport).with(LeaSettings.LOCK_WAIT, "PT0S");
      assertThatThrownBy(() -> CatalogSync.open(noWait))
          .isInstanceOf(LeaException.class)
          .hasMessageContaining("Cannot take the lock on ")
          .hasMessageContaining("it is held by ");
      assertThat(inode(cache().file())).isEqualTo(cachedInode);
      holder.commit();
    }

    assertThatCacheServesTheNextSession(transport);
  }

  /**
   * Issue 16: an unchanged session writes nothing, so it does not renew its lock to fence an
   * upload at commit: the lock is written once, when taken.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void anUnchangedSessionWritesItsLockOnce(String transport) throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    CountingStoreProvider.reset(bucket);

    assertThat(run(transport, statement -> { }).outcome())
        .isEqualTo(SyncResult.Outcome.UNCHANGED);

    assertThat(CountingStoreProvider.calls(bucket, LockObjects.lockKey(KEY)))
        .filteredOn(c -> c.operation().equals("put")).hasSize(1);
  }

  /**
   * Issue 16: a cached file whose identity changed (touched, copied back by a backup tool) is
   * read once and compared with the digest the entry recorded; the same bytes keep the cache.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void aTouchedButUnchangedCachedFileIsReadOnceAndKept(String transport) throws Exception {
    run(transport, "CREATE TABLE t AS SELECT 42 AS answer");
    Files.setLastModifiedTime(cache().file(), java.nio.file.attribute.FileTime.fromMillis(0));

    assertThatCacheServesTheNextSession(transport);
  }

  /** A cache that cannot be written is not fatal, but costs a download a run: say it, once. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"object-copy", "parquet-blob"})
  void anUnusableCacheDirectoryIsSkippedWithOneWarning(String transport) throws Exception {
    Path occupied = Files.writeString(cacheDirectory.resolve("occupied-" + transport), "a file");
    List<String> messages = new ArrayList<>();
    LeaConfig config = config(transport).with(LeaSettings.CACHE_DIR, occupied.toString());
    for (int i = 0; i < 2; i++) {
      try (CatalogSession session = CatalogSync.open(config, collecting(messages))) {
        session.connection().createStatement().execute("CREATE TABLE IF NOT EXISTS t AS SELECT 1");
        session.commit();
      }
    }
    assertThat(messages).filteredOn(m -> m.startsWith("Not using the catalog cache " + occupied
        + ": ")).hasSize(1);
  }

  /** With the entry not used, the next session reads the catalog whole, and caches it again. */
  private SyncResult assertTheCatalogIsReadWholeAndCachedAgain(String transport)
      throws Exception {
    SyncResult result = readTheAnswer(transport, new ArrayList<>());
    assertThat(catalogCalls()).containsExactly(new Call("read", KEY, "FOUND"));
    assertThatCacheServesTheNextSession(transport);
    return result;
  }

  /** A third session finds a healthy entry again: one conditional read, nothing else. */
  private void assertThatCacheServesTheNextSession(String transport) throws Exception {
    SyncResult third = readTheAnswer(transport, new ArrayList<>());
    assertThat(third.outcome()).isEqualTo(SyncResult.Outcome.UNCHANGED);
    assertThat(catalogCalls()).containsExactly(new Call("read", KEY, "NOT_MODIFIED"));
  }

  /** A session that reads the answer back, counting the store's calls from its start. */
  private SyncResult readTheAnswer(String transport, List<String> messages) throws Exception {
    CountingStoreProvider.reset(bucket);
    List<Integer> answers = new ArrayList<>();
    SyncResult result = run(transport, statement -> answers.add(answer(statement)), messages);
    assertThat(answers).containsExactly(42);
    return result;
  }

  private SyncResult run(String transport, String sql) throws SQLException {
    return run(transport, statement -> statement.execute(sql));
  }

  private SyncResult run(String transport, Work work) throws SQLException {
    return run(transport, work, new ArrayList<>());
  }

  private SyncResult run(String transport, Work work, List<String> messages) throws SQLException {
    try (CatalogSession session = CatalogSync.open(config(transport), collecting(messages))) {
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
        .with(LeaSettings.CACHE_DIR, cacheDirectory.toString())
        .with(LeaSettings.WORK_DIR, work.toString());
  }

  /** The catalog file of the one session running in {@code work}. */
  private Path sessionCatalog() throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(work)) {
      return files.filter(p -> p.getFileName().toString().equals(KEY)).findFirst().orElseThrow();
    }
  }

  private static Object inode(Path file) throws IOException {
    return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
  }


  private CatalogCache cache() {
    return CatalogCache.of(cacheDirectory, location, dev.lea.spi.Reporter.silent());
  }

  private List<Call> catalogCalls() {
    return CountingStoreProvider.calls(bucket, KEY);
  }

  /**
   * Bit rot in the bucket: one bit of the stored object flips in place. The store's record of
   * the bytes it was given (its CRC32C, and the SHA-256 a transport recorded) no longer holds.
   */
  private void corruptRemoteObject() throws IOException {
    try (FileChannel channel = FileChannel.open(bucketDirectory.resolve(KEY),
        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      long middle = channel.size() / 2;
      channel.read(one, middle);
      one.put(0, (byte) (one.get(0) ^ 0x01));
      channel.write(one.rewind(), middle);
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
