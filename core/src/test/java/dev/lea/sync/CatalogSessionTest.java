package dev.lea.sync;

import static dev.lea.Reporters.collecting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.lock.LockHeldException;
import dev.lea.spi.LeaException;
import dev.lea.store.LocalFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session's lifecycle on the embedded file: store with a plain DuckDB warehouse, which needs
 * no DuckDB extension: the same lifecycle DuckLake catalogs go through.
 */
class CatalogSessionTest {

  @TempDir Path dir;

  private Path bucket() {
    return dir.resolve("bucket");
  }

  private Path remote() {
    return bucket().resolve("warehouse.duckdb");
  }

  private LeaConfig config() {
    return LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote())
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString())
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
  }

  private static void sql(Connection connection, String statement) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(statement);
    }
  }

  private static long count(Connection connection, String table) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void freshStartCommitsAndTheNextSessionSeesTheTable() throws Exception {
    try (CatalogSession session = CatalogSync.open(config())) {
      assertThat(session.startedFresh()).isTrue();
      sql(session.connection(), "CREATE TABLE t AS SELECT range AS i FROM range(100)");
      SyncResult result = session.commit();
      assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    }
    assertThat(remote()).exists();
    try (CatalogSession session = CatalogSync.open(config())) {
      assertThat(session.startedFresh()).isFalse();
      assertThat(count(session.connection(), "t")).isEqualTo(100);
      assertThat(session.commit().outcome()).isEqualTo(SyncResult.Outcome.UNCHANGED);
    }
    assertThat(dir.resolve("work")).isEmptyDirectory();
    assertThat(dir.resolve("bucket").resolve(".lea/locks/warehouse.duckdb.lock")).doesNotExist();
  }

  @Test
  void cachedCatalogIsReusedWhenTheRemoteIsUnchanged() throws Exception {
    try (CatalogSession session = CatalogSync.open(config())) {
      sql(session.connection(), "CREATE TABLE t AS SELECT 1 AS i");
      session.commit();
    }
    List<String> messages = new ArrayList<>();
    try (CatalogSession session = CatalogSync.open(config(), collecting(messages))) {
      assertThat(count(session.connection(), "t")).isEqualTo(1);
      session.commit();
    }
    assertThat(messages).anyMatch(m -> m.contains("unchanged since the last run; using the cached"
        + " copy"));
  }

  @Test
  void aRemoteCatalogDeletedSinceTheCachedCopyStartsFresh() throws Exception {
    seed();
    Files.delete(remote());
    try (CatalogSession session = CatalogSync.open(config())) {
      assertThat(session.startedFresh()).isTrue();
      try (ResultSet rs = session.connection().createStatement().executeQuery(
          "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'seeded'")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
      session.commit();
    }
  }

  @Test
  void uploadAlwaysUploadsThePartialStateOfAFailedRun() throws Exception {
    seed();
    SyncResult result;
    try (CatalogSession session = CatalogSync.open(config())) {
      sql(session.connection(), "CREATE TABLE partial AS SELECT 7 AS x");
      result = session.fail(new IllegalStateException("script failed"));
    }
    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    assertThat(result.message()).contains("partial catalog was uploaded to").contains("upload-always");
    assertThat(tables()).contains("partial");
  }

  @Test
  void uploadOnSuccessLeavesTheRemoteAndKeepsTheFailedCatalogLocally() throws Exception {
    seed();
    String before = LocalFiles.sha256(remote());
    SyncResult result;
    try (CatalogSession session = CatalogSync.open(config()
        .with(LeaSettings.ON_FAILURE, "upload-on-success"))) {
      sql(session.connection(), "CREATE TABLE partial AS SELECT 7 AS x");
      result = session.fail(new IllegalStateException("script failed"));
    }
    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.KEPT_LOCAL);
    assertThat(LocalFiles.sha256(remote())).isEqualTo(before);
    Path kept = Path.of(result.where());
    assertThat(kept).exists().startsWith(dir.resolve("cache"));
    assertThat(result.message()).contains("kept at " + kept);
    assertThat(Files.getPosixFilePermissions(kept))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(bucket().resolve(".lea/locks/warehouse.duckdb.lock")).doesNotExist();
  }

  @Test
  void uploadAsideWritesBesideTheCatalogAndLeavesTheMainOne() throws Exception {
    seed();
    String before = LocalFiles.sha256(remote());
    SyncResult result;
    try (CatalogSession session = CatalogSync.open(config()
        .with(LeaSettings.ON_FAILURE, "upload-aside"))) {
      sql(session.connection(), "CREATE TABLE partial AS SELECT 7 AS x");
      result = session.fail(new IllegalStateException("script failed"));
    }
    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.UPLOADED_ASIDE);
    assertThat(LocalFiles.sha256(remote())).isEqualTo(before);
    try (Stream<Path> files = Files.list(bucket())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("warehouse.duckdb.failed-"));
    }
    assertThat(result.message()).contains("warehouse.duckdb.failed-");
  }

  @Test
  void closingWithoutCommitIsAFailure() throws Exception {
    seed();
    String before = LocalFiles.sha256(remote());
    List<String> warnings = new ArrayList<>();
    try (CatalogSession session = CatalogSync.open(config()
        .with(LeaSettings.ON_FAILURE, "upload-on-success"), collecting(warnings))) {
      sql(session.connection(), "CREATE TABLE forgotten AS SELECT 1 AS x");
    }
    assertThat(LocalFiles.sha256(remote())).isEqualTo(before);
    assertThat(warnings).anyMatch(m -> m.startsWith("Session closed without commit"));
  }

  @Test
  void conditionalWriteRefusesTheLoserAndKeepsItsCatalogAside() throws Exception {
    seed();
    LeaConfig optimistic = config().with(LeaSettings.LOCK, "conditional-write");
    CatalogSession first = CatalogSync.open(optimistic);
    CatalogSession second = CatalogSync.open(optimistic);
    sql(first.connection(), "CREATE TABLE from_first AS SELECT 1 AS x");
    sql(second.connection(), "CREATE TABLE from_second AS SELECT 2 AS x");
    first.commit();
    first.close();
    String winner = LocalFiles.sha256(remote());

    assertThatThrownBy(second::commit)
        .isInstanceOf(LeaException.class)
        .satisfies(e -> assertThat(((LeaException) e).kind()).isEqualTo(LeaException.Kind.RUN))
        .hasMessageContaining("another writer changed it after this run downloaded it")
        .hasMessageContaining("Nothing was overwritten")
        .hasMessageContaining("uploaded as " + remote().toUri() + ".conflict-");
    second.close();
    assertThat(second.result().outcome()).isEqualTo(SyncResult.Outcome.KEPT_LOCAL);
    assertThat(LocalFiles.sha256(remote())).isEqualTo(winner);
    assertThat(Path.of(second.result().where())).exists();
    try (Stream<Path> files = Files.list(bucket())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("warehouse.duckdb.conflict-")
              && name.endsWith(second.runId()));
    }
    assertThat(tables()).contains("from_first").doesNotContain("from_second");
  }

  @Test
  void lockFileRefusesASecondWriterNamingTheHolder() throws Exception {
    try (CatalogSession first = CatalogSync.open(config())) {
      assertThatThrownBy(() -> CatalogSync.open(config()))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining(first.runId())
          .hasMessageContaining("mvn lea:unlock -Dlea.unlockId=" + first.runId());
      first.commit();
    }
    try (CatalogSession again = CatalogSync.open(config())) {
      again.commit();
    }
  }

  @Test
  void corruptRemoteCatalogIsRefusedAndNothingIsLeftBehind() throws Exception {
    seed();
    byte[] bytes = Files.readAllBytes(remote());
    try (CatalogSession session = CatalogSync.open(config()
        .with(LeaSettings.CACHE_ENABLED, "false"))) {
      session.commit();
    }
    flipByteOfStoredObject(remote(), bytes.length / 2);
    assertThatThrownBy(() -> CatalogSync.open(config().with(LeaSettings.CACHE_ENABLED, "false")))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot download catalog ")
        .hasMessageContaining("CRC32C");
    assertThat(bucket().resolve(".lea/locks/warehouse.duckdb.lock")).doesNotExist();
    assertThat(dir.resolve("work")).isEmptyDirectory();
  }

  @Test
  void missingDataPathForAFreshDuckLakeFailsBeforeAnySideEffect() {
    LeaConfig duckLake = LeaConfig.defaults(dir)
        .with(LeaSettings.CATALOG_URL, "file:" + bucket().resolve("catalog.sqlite"))
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    assertThatThrownBy(() -> CatalogSync.open(duckLake))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot create DuckLake catalog " + bucket().resolve("catalog.sqlite").toUri()
            + ": no catalog exists there yet and lea.ducklake.dataPath (LEA_DUCKLAKE_DATA_PATH) is"
            + " not set. Set it to where table data should live, e.g. s3://bucket/lake/data/ or a"
            + " local folder.");
    assertThat(bucket()).doesNotExist();
    assertThat(dir.resolve("work")).doesNotExist();
  }

  @Test
  void unknownSchemeListsTheAvailableOnes() {
    LeaConfig config = LeaConfig.defaults(dir).with(LeaSettings.DUCKDB_PATH, "s4://b/w.duckdb");
    assertThatThrownBy(() -> CatalogSync.open(config))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Unknown store scheme 's4'; available: ")
        .hasMessageContaining("file");
  }

  private void seed() throws Exception {
    try (CatalogSession session = CatalogSync.open(config())) {
      sql(session.connection(), "CREATE TABLE seeded AS SELECT 1 AS x");
      session.commit();
    }
  }

  private List<String> tables() throws Exception {
    List<String> names = new ArrayList<>();
    try (CatalogSession session = CatalogSync.open(config().with(LeaSettings.READ_ONLY, "true"));
        Statement s = session.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT table_name FROM duckdb_tables() ORDER BY 1")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      session.commit();
    }
    return names;
  }

  /**
   * Corrupts the stored bytes in place, keeping the file store's own framing, the way a bad disk
   * or a buggy copy would: the object's metadata still promises the old SHA-256.
   */
  private static void flipByteOfStoredObject(Path object, int offsetFromEnd) throws Exception {
    byte[] stored = Files.readAllBytes(object);
    int position = stored.length - 1 - offsetFromEnd;
    stored[position] ^= 0x5A;
    Files.write(object, stored);
  }
}
