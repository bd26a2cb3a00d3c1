package dev.lea.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileObjectStoreTest extends ObjectStoreContractTest {

  @TempDir
  Path temp;

  @Override
  protected ObjectStore newStore() {
    return new FileObjectStore(temp.resolve("bucket"));
  }

  private Path root() {
    return ((FileObjectStore) store).root();
  }

  @Test
  void createsAMissingBucketDirectoryOnFirstWrite() throws IOException {
    assertThat(store.head("c.sqlite")).isEmpty();
    assertThat(store.list("")).isEmpty();
    store.delete("c.sqlite", Condition.none());
    assertThatThrownBy(() -> store.delete("c.sqlite", Condition.ifMatch("v")))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(root()).doesNotExist();

    put("c.sqlite", "x", Map.of(), Condition.ifAbsent());

    assertThat(root().resolve("c.sqlite")).isRegularFile();
  }

  @ParameterizedTest
  @ValueSource(strings = {"../escape", "a/../../escape", "/absolute", "a//b", "./a"})
  void refusesKeysThatLeaveTheDirectory(String key) {
    assertThatThrownBy(() -> put(key, "x", Map.of(), Condition.none()))
        .isInstanceOfSatisfying(LeaException.class,
            e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.USER))
        .hasMessageStartingWith("Cannot ")
        .hasMessageContaining(key);
    assertThat(temp.resolve("escape")).doesNotExist();
  }

  @Test
  void refusesKeysThatUseItsReservedNames() {
    assertThatThrownBy(() -> put("lake/.lea-locks", "x", Map.of(), Condition.none()))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("Cannot use key 'lake/.lea-locks'")
        .hasMessageContaining("reserved");
  }

  @Test
  void refusesWritesThroughALinkToOutside() throws IOException {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createDirectories(root());
    try {
      Files.createSymbolicLink(root().resolve("link"), outside);
    } catch (UnsupportedOperationException | IOException e) {
      assumeThat(false).as("symbolic links are not available: " + e).isTrue();
    }

    assertThatThrownBy(() -> put("link/x", "x", Map.of(), Condition.none()))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("link to outside");
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void createsFilesAndDirectoriesOwnerOnly() throws IOException {
    assumeThat(temp.getFileSystem().supportedFileAttributeViews()).contains("posix");

    put("lake/c.sqlite", "x", Map.of(), Condition.ifAbsent());

    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(root().resolve("lake/c.sqlite")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(root().resolve("lake")))).isEqualTo("rwx------");
    try (Stream<Path> locks = Files.list(root().resolve(".lea-locks"))) {
      assertThat(locks).isNotEmpty().allSatisfy(lock -> assertThat(PosixFilePermissions.toString(
          Files.getPosixFilePermissions(lock))).isEqualTo("rw-------"));
    }
  }

  @Test
  void hidesItsLockFilesAndLeavesNoTemporaryFiles() throws IOException {
    ObjectInfo first = put("lake/c.sqlite", "one", Map.of(), Condition.ifAbsent());
    put("lake/c.sqlite", "two", Map.of(), Condition.ifMatch(first.version()));
    assertThatThrownBy(() -> store.put("lake/d", new ByteArrayInputStream(new byte[3]), 10,
        Map.of(), Condition.none()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("3 bytes where 10 were announced");

    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("lake/c.sqlite");
    try (Stream<Path> all = Files.walk(root())) {
      assertThat(all.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith(".lea-tmp-"))
          .doesNotContain("d");
    }
  }

  @Test
  void rewritingTheSameBytesGivesANewVersion() throws IOException {
    String first = put("same", "bytes", Map.of(), Condition.none()).version();
    String second = put("same", "bytes", Map.of(), Condition.none()).version();

    assertThat(second).isNotEqualTo(first);
    assertThatThrownBy(() -> put("same", "x", Map.of(), Condition.ifMatch(first)))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void anotherStoreOnTheSameDirectorySeesTheSameVersions() throws IOException {
    ObjectInfo written = put("shared", "v1", Map.of("k", "v"), Condition.ifAbsent());

    try (FileObjectStore other = new FileObjectStore(root())) {
      assertThat(other.head("shared").orElseThrow()).isEqualTo(written);
      byte[] next = "v2".getBytes(StandardCharsets.UTF_8);
      other.put("shared", new ByteArrayInputStream(next), 2, Map.of(),
          Condition.ifMatch(written.version()));
    }
    assertThat(read("shared")).isEqualTo("v2");
  }

  @Test
  void lowerCasesMetadataKeys() throws IOException {
    put("meta", "x", Map.of("SHA256", "ABC"), Condition.none());

    assertThat(store.head("meta").orElseThrow().metadata()).isEqualTo(Map.of("sha256", "ABC"));
  }

  @Test
  void servesAPlainFileCopiedIntoTheDirectory() throws IOException {
    Files.createDirectories(root());
    Files.writeString(root().resolve("catalog.sqlite"), "SQLite format 3");

    ObjectInfo head = store.head("catalog.sqlite").orElseThrow();
    assertThat(head.size()).isEqualTo(15);
    assertThat(head.metadata()).isEmpty();
    assertThat(store.head("catalog.sqlite").orElseThrow().version()).isEqualTo(head.version());
    assertThat(read("catalog.sqlite")).isEqualTo("SQLite format 3");
    assertThat(store.list("")).extracting(ObjectInfo::version).containsExactly(head.version());

    ObjectInfo replaced = put("catalog.sqlite", "new", Map.of("format", "sqlite"),
        Condition.ifMatch(head.version()));
    assertThat(replaced.version()).isNotEqualTo(head.version());
    assertThat(read("catalog.sqlite")).isEqualTo("new");
  }

  @Test
  void reportsADamagedHeader() throws IOException {
    Files.createDirectories(root());
    ByteBuffer header = ByteBuffer.allocate(12);
    header.put("LEAOBJ1\n".getBytes(StandardCharsets.US_ASCII)).putInt(1_000_000);
    Files.write(root().resolve("broken"), header.array());

    assertThatThrownBy(() -> store.head("broken"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Cannot read broken in file:")
        .hasMessageContaining("does not fit the file")
        .hasMessageContaining("restore or delete it");
  }

  @Test
  void aReaderKeepsTheVersionItOpenedWhileAWriterReplacesIt() throws IOException {
    String big = "a".repeat(200_000);
    ObjectInfo first = put("snapshot", big, Map.of("n", "1"), Condition.none());

    try (ReadResult open = store.read("snapshot", null)) {
      InputStream content = open.content();
      byte[] start = content.readNBytes(10);
      put("snapshot", "b".repeat(300_000), Map.of("n", "2"), Condition.ifMatch(first.version()));
      String rest = new String(content.readAllBytes(), StandardCharsets.US_ASCII);

      assertThat(new String(start, StandardCharsets.US_ASCII) + rest).isEqualTo(big);
      assertThat(open.info().metadata()).containsEntry("n", "1");
    }
    assertThat(store.head("snapshot").orElseThrow().metadata()).containsEntry("n", "2");
  }

  @Test
  void explainsKeysThatCollideWithDirectories() throws IOException {
    put("a/b", "x", Map.of(), Condition.none());

    assertThatThrownBy(() -> put("a", "y", Map.of(), Condition.none()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is a directory holding other objects");
    assertThat(store.head("a")).isEmpty();
    assertThatThrownBy(() -> put("a/b/c", "z", Map.of(), Condition.none()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot create directory")
        .hasMessageContaining("in the way");
    assertThat(read("a/b")).isEqualTo("x");
  }

  /** Issue 16: a catalog in a file: bucket is the catalog, openable by DuckDB and sqlite3. */
  @Test
  void storesTheBytesVerbatimSoDuckDbAndSqlite3OpenTheBucketFile() throws Exception {
    Path warehouse = temp.resolve("local.duckdb");
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
        Statement s = duckdb.createStatement()) {
      s.execute("CREATE TABLE answers AS SELECT 42 AS answer");
    }
    Path catalog = temp.resolve("local.sqlite");
    try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + catalog);
        Statement s = sqlite.createStatement()) {
      s.execute("CREATE TABLE answers AS SELECT 43 AS answer");
    }

    store.put("warehouse.duckdb", warehouse, Map.of("lea-format", "duckdb"), Condition.ifAbsent());
    store.put("lake/catalog.sqlite", catalog, Map.of(), Condition.ifAbsent());

    Path inBucket = root().resolve("warehouse.duckdb");
    assertThat(Files.mismatch(inBucket, warehouse)).isEqualTo(-1L);
    assertThat(Files.mismatch(root().resolve("lake/catalog.sqlite"), catalog)).isEqualTo(-1L);
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:" + inBucket);
        Statement s = duckdb.createStatement();
        ResultSet rows = s.executeQuery("SELECT answer FROM answers")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(42);
    }
    Process sqlite3;
    try {
      sqlite3 = new ProcessBuilder("sqlite3", root().resolve("lake/catalog.sqlite").toString(),
          "SELECT answer FROM answers").redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeThat(false).as("the sqlite3 command is not installed: " + e.getMessage()).isTrue();
      return;
    }
    String output = new String(sqlite3.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sqlite3.waitFor()).as(output).isZero();
    assertThat(output.trim()).isEqualTo("43");
  }

  @Test
  void readsObjectsWrittenWithTheEarlierHeaderFormat() throws IOException {
    Files.createDirectories(root());
    byte[] header = "{\"version\":\"v-old\",\"written\":\"2026-01-02T03:04:05Z\",\"metadata\":{\"lea-format\":\"sqlite\"}}"
        .getBytes(StandardCharsets.UTF_8);
    ByteBuffer legacy = ByteBuffer.allocate(8 + 4 + header.length + 9);
    legacy.put("LEAOBJ1\n".getBytes(StandardCharsets.US_ASCII)).putInt(header.length)
        .put(header).put("old bytes".getBytes(StandardCharsets.US_ASCII));
    Files.write(root().resolve("old.sqlite"), legacy.array());

    ObjectInfo old = store.head("old.sqlite").orElseThrow();
    assertThat(old.version()).isEqualTo("v-old");
    assertThat(old.size()).isEqualTo(9);
    assertThat(old.metadata()).containsExactly(Map.entry("lea-format", "sqlite"));
    assertThat(read("old.sqlite")).isEqualTo("old bytes");
    assertThat(store.list("")).containsExactly(old);

    ObjectInfo replaced = put("old.sqlite", "new bytes", Map.of(), Condition.ifMatch("v-old"));

    assertThat(Files.readString(root().resolve("old.sqlite"))).isEqualTo("new bytes");
    assertThat(store.head("old.sqlite").orElseThrow()).isEqualTo(replaced);

    // An earlier lea still writing to the same bucket: its object is read as it wrote it.
    Path temp = Files.write(root().resolve("incoming"), legacy.array());
    Files.move(temp, root().resolve("old.sqlite"), StandardCopyOption.REPLACE_EXISTING);
    assertThat(store.head("old.sqlite").orElseThrow().version()).isEqualTo("v-old");
    assertThat(read("old.sqlite")).isEqualTo("old bytes");
  }

  /**
   * A file changed in place behind the store gets a version of its own and keeps the last write's
   * metadata and CRC32C, so a reader refuses the bytes; deleting the sidecar accepts them.
   */
  @Test
  void aFileChangedInPlaceKeepsTheChecksumItNoLongerMatches() throws IOException {
    ObjectInfo written = put("c.sqlite", "by lea", Map.of("lea-format", "sqlite"),
        Condition.ifAbsent());
    assertThat(written.crc32c()).isNotNull();

    Files.writeString(root().resolve("c.sqlite"), "edited by hand");

    ObjectInfo edited = store.head("c.sqlite").orElseThrow();
    assertThat(edited.version()).isNotEqualTo(written.version());
    assertThat(edited.metadata()).isEqualTo(written.metadata());
    assertThat(edited.crc32c()).isEqualTo(written.crc32c());
    assertThat(edited.size()).isEqualTo(14);
    assertThat(store.head("c.sqlite").orElseThrow()).isEqualTo(edited);
    assertThatThrownBy(() -> put("c.sqlite", "x", Map.of(), Condition.ifMatch(written.version())))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(read("c.sqlite")).isEqualTo("edited by hand");

    Files.delete(root().resolve(".lea-meta-c.sqlite.json"));

    ObjectInfo accepted = store.head("c.sqlite").orElseThrow();
    assertThat(accepted.metadata()).isEmpty();
    assertThat(accepted.crc32c()).isNull();
    put("c.sqlite", "by lea again", Map.of(), Condition.ifMatch(accepted.version()));
    assertThat(read("c.sqlite")).isEqualTo("by lea again");
  }

  /** Issue 17 item 2: a FIFO where an object should be fails at once instead of hanging. */
  @Test
  void refusesToOpenAFifoAsAnObject() throws Exception {
    Files.createDirectories(root());
    Path fifo = root().resolve("c.duckdb");
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (IOException e) {
      assumeThat(false).as("mkfifo is not available: " + e.getMessage()).isTrue();
      return;
    }
    assumeThat(mkfifo.waitFor()).as("mkfifo failed").isZero();

    // The only guard against the hang this test is about: without it a failure blocks forever.
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      assertThatThrownBy(() -> store.head("c.duckdb"))
          .hasMessageStartingWith("Cannot read c.duckdb in file:")
          .hasMessageContaining("is not a regular file");
      assertThatThrownBy(() -> store.read("c.duckdb", null))
          .hasMessageContaining("is not a regular file");
      assertThatThrownBy(() -> put("c.duckdb", "x", Map.of(), Condition.ifAbsent()))
          .hasMessageContaining("is not a regular file");
      assertThat(store.list("")).isEmpty();
    });
  }

  @Test
  void providerOpensTheDirectoryOfAFileUrl() throws IOException {
    Path lake = temp.resolve("lake");
    Location location = Location.parse("file:lake/catalog.sqlite", temp);

    try (ObjectStore opened = ObjectStores.open(location, LeaConfig.defaults(temp))) {
      assertThat(opened).isInstanceOf(FileObjectStore.class);
      assertThat(((FileObjectStore) opened).root()).isEqualTo(lake);
      assertThat(opened.describe()).isEqualTo(lake.toUri().toString().replaceAll("/$", ""));
      opened.put(location.key(), new ByteArrayInputStream(new byte[] {1, 2}), 2, Map.of(),
          Condition.ifAbsent());
    }
    assertThat(lake.resolve("catalog.sqlite")).isRegularFile();
    assertThat(ObjectStores.schemes()).contains("file");
    assertThat(List.copyOf(new FileObjectStore(lake).list(""))).extracting(ObjectInfo::key)
        .containsExactly("catalog.sqlite");
  }
}
