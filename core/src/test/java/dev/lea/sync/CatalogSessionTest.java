package dev.lea.sync;

import static dev.lea.Reporters.collecting;
import static dev.lea.sync.SessionFixtures.bucket;
import static dev.lea.sync.SessionFixtures.config;
import static dev.lea.sync.SessionFixtures.count;
import static dev.lea.sync.SessionFixtures.remote;
import static dev.lea.sync.SessionFixtures.seed;
import static dev.lea.sync.SessionFixtures.sql;
import static dev.lea.sync.SessionFixtures.tables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.lock.LockHeldException;
import dev.lea.spi.LeaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
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

  @Test
  void freshStartCommitsAndTheNextSessionSeesTheTable() throws Exception {
    try (CatalogSession session = CatalogSync.open(config(dir))) {
      assertThat(session.startedFresh()).isTrue();
      sql(session.connection(), "CREATE TABLE t AS SELECT range AS i FROM range(100)");
      SyncResult result = session.commit();
      assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    }
    assertThat(remote(dir)).exists();
    try (CatalogSession session = CatalogSync.open(config(dir))) {
      assertThat(session.startedFresh()).isFalse();
      assertThat(count(session.connection(), "t")).isEqualTo(100);
      assertThat(session.commit().outcome()).isEqualTo(SyncResult.Outcome.UNCHANGED);
    }
    assertThat(dir.resolve("work")).isEmptyDirectory();
    assertThat(dir.resolve("bucket").resolve(".lea/locks/warehouse.duckdb.lock")).doesNotExist();
  }

  @Test
  void cachedCatalogIsReusedWhenTheRemoteIsUnchanged() throws Exception {
    try (CatalogSession session = CatalogSync.open(config(dir))) {
      sql(session.connection(), "CREATE TABLE t AS SELECT 1 AS i");
      session.commit();
    }
    List<String> messages = new ArrayList<>();
    try (CatalogSession session = CatalogSync.open(config(dir), collecting(messages))) {
      assertThat(count(session.connection(), "t")).isEqualTo(1);
      session.commit();
    }
    assertThat(messages).anyMatch(m -> m.contains("unchanged since the last run; using the cached"
        + " copy"));
  }

  @Test
  void aRemoteCatalogDeletedSinceTheCachedCopyStartsFresh() throws Exception {
    seed(config(dir));
    Files.delete(remote(dir));
    try (CatalogSession session = CatalogSync.open(config(dir))) {
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
    seed(config(dir));
    SyncResult result = failAfterWriting(config(dir));
    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    assertThat(result.message()).contains("partial catalog was uploaded to").contains("upload-always");
    assertThat(tables(config(dir))).contains("partial");
  }

  @Test
  void uploadOnSuccessLeavesTheRemoteAndKeepsTheFailedCatalogLocally() throws Exception {
    SyncResult result = failLeavingTheRemote("upload-on-success");
    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.KEPT_LOCAL);
    Path kept = Path.of(result.where());
    assertThat(kept).exists().startsWith(dir.resolve("cache"));
    assertThat(result.message()).contains("kept at " + kept);
    assertThat(Files.getPosixFilePermissions(kept))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(bucket(dir).resolve(".lea/locks/warehouse.duckdb.lock")).doesNotExist();
  }

  @Test
  void uploadAsideWritesBesideTheCatalogAndLeavesTheMainOne() throws Exception {
    SyncResult result = failLeavingTheRemote("upload-aside");
    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.UPLOADED_ASIDE);
    try (Stream<Path> files = Files.list(bucket(dir))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("warehouse.duckdb.failed-"));
    }
    assertThat(result.message()).contains("warehouse.duckdb.failed-");
  }

  @Test
  void closingWithoutCommitIsAFailure() throws Exception {
    seed(config(dir));
    String before = LocalFiles.sha256(remote(dir));
    List<String> warnings = new ArrayList<>();
    try (CatalogSession session = CatalogSync.open(config(dir)
        .with(LeaSettings.ON_FAILURE, "upload-on-success"), collecting(warnings))) {
      sql(session.connection(), "CREATE TABLE forgotten AS SELECT 1 AS x");
    }
    assertThat(LocalFiles.sha256(remote(dir))).isEqualTo(before);
    assertThat(warnings).anyMatch(m -> m.startsWith("Session closed without commit"));
  }

  @Test
  void conditionalWriteRefusesTheLoserAndKeepsItsCatalogAside() throws Exception {
    seed(config(dir));
    LeaConfig optimistic = config(dir).with(LeaSettings.LOCK, "conditional-write");
    CatalogSession first = CatalogSync.open(optimistic);
    CatalogSession second = CatalogSync.open(optimistic);
    sql(first.connection(), "CREATE TABLE from_first AS SELECT 1 AS x");
    sql(second.connection(), "CREATE TABLE from_second AS SELECT 2 AS x");
    first.commit();
    first.close();
    String winner = LocalFiles.sha256(remote(dir));

    assertThatThrownBy(second::commit)
        .isInstanceOf(LeaException.class)
        .satisfies(e -> assertThat(((LeaException) e).kind()).isEqualTo(LeaException.Kind.RUN))
        .hasMessageContaining("another writer changed it after this run downloaded it")
        .hasMessageContaining("Nothing was overwritten")
        .hasMessageContaining("uploaded as " + remote(dir).toUri() + ".conflict-");
    second.close();
    assertThat(second.result().outcome()).isEqualTo(SyncResult.Outcome.KEPT_LOCAL);
    assertThat(LocalFiles.sha256(remote(dir))).isEqualTo(winner);
    assertThat(Path.of(second.result().where())).exists();
    try (Stream<Path> files = Files.list(bucket(dir))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("warehouse.duckdb.conflict-")
              && name.endsWith(second.runId()));
    }
    assertThat(tables(config(dir))).contains("from_first").doesNotContain("from_second");
  }

  @Test
  void lockFileRefusesASecondWriterNamingTheHolder() throws Exception {
    try (CatalogSession first = CatalogSync.open(config(dir))) {
      assertThatThrownBy(() -> CatalogSync.open(config(dir)))
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining(first.runId())
          .hasMessageContaining("mvn lea:unlock -Dlea.unlockId=" + first.runId());
      first.commit();
    }
    try (CatalogSession again = CatalogSync.open(config(dir))) {
      again.commit();
    }
  }

  @Test
  void corruptRemoteCatalogIsRefusedAndNothingIsLeftBehind() throws Exception {
    seed(config(dir));
    byte[] bytes = Files.readAllBytes(remote(dir));
    try (CatalogSession session = CatalogSync.open(config(dir)
        .with(LeaSettings.CACHE_ENABLED, "false"))) {
      session.commit();
    }
    flipByteOfStoredObject(remote(dir), bytes.length / 2);
    assertThatThrownBy(() -> CatalogSync.open(config(dir).with(LeaSettings.CACHE_ENABLED, "false")))
        .isInstanceOf(LeaException.class)
        .hasMessageStartingWith("Cannot download catalog ")
        .hasMessageContaining("CRC32C");
    assertThat(bucket(dir).resolve(".lea/locks/warehouse.duckdb.lock")).doesNotExist();
    assertThat(dir.resolve("work")).isEmptyDirectory();
  }

  @Test
  void missingDataPathForAFreshDuckLakeFailsBeforeAnySideEffect() {
    LeaConfig duckLake = LeaConfig.defaults(dir)
        .with(LeaSettings.CATALOG_URL, "file:" + bucket(dir).resolve("catalog.sqlite"))
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    assertThatThrownBy(() -> CatalogSync.open(duckLake))
        .isInstanceOf(LeaException.class)
        .hasMessage("Cannot create DuckLake catalog " + bucket(dir).resolve("catalog.sqlite").toUri()
            + ": no catalog exists there yet and lea.ducklake.dataPath (LEA_DUCKLAKE_DATA_PATH) is"
            + " not set. Set it to where table data should live, e.g. s3://bucket/lake/data/ or a"
            + " local folder.");
    assertThat(bucket(dir)).doesNotExist();
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

  /** Under {@code policy}, a seeded catalog's failed run leaves the remote catalog as it was. */
  private SyncResult failLeavingTheRemote(String policy) throws Exception {
    seed(config(dir));
    String before = LocalFiles.sha256(remote(dir));
    SyncResult result = failAfterWriting(config(dir).with(LeaSettings.ON_FAILURE, policy));
    assertThat(LocalFiles.sha256(remote(dir))).isEqualTo(before);
    return result;
  }

  /** A run that wrote a table, then failed: what its failure policy did with the catalog. */
  private static SyncResult failAfterWriting(LeaConfig config) throws Exception {
    try (CatalogSession session = CatalogSync.open(config)) {
      sql(session.connection(), "CREATE TABLE partial AS SELECT 7 AS x");
      return session.fail(new IllegalStateException("script failed"));
    }
  }
}
