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

import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.lock.LockObjects;
import dev.lea.spi.LeaException;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synced session's composition: at each point where the catalog cannot go where it should,
 * it is kept and its path printed, never deleted; and a run that lost its lock never uploads.
 * Plain DuckDB warehouses in a {@code file:} bucket, so no DuckDB extension is needed.
 */
class SyncedSessionTest {

  @TempDir Path dir;

  @Test
  void aFailedUploadKeepsTheCatalogAndSaysWhere() throws Exception {
    seed(config(dir));
    try (CatalogSession session = CatalogSync.open(config(dir).with(LeaSettings.LOCK, "none"))) {
      sql(session.connection(), "CREATE TABLE work AS SELECT 42 AS answer");
      breakTheBucket();
      assertThatThrownBy(session::commit)
          .isInstanceOf(LeaException.class)
          .satisfies(e -> assertThat(((LeaException) e).kind())
              .isEqualTo(LeaException.Kind.INFRASTRUCTURE))
          .hasMessageStartingWith("Cannot upload catalog " + remote(dir).toUri())
          .hasMessageContaining("The catalog is kept at ");
      assertKept(session.result(), "work");
    }
  }

  @Test
  void aFailedAsideUploadKeepsTheCatalogAndSaysWhere() throws Exception {
    seed(config(dir));
    SyncResult result;
    try (CatalogSession session = CatalogSync.open(config(dir).with(LeaSettings.LOCK, "none")
        .with(LeaSettings.ON_FAILURE, "upload-aside"))) {
      sql(session.connection(), "CREATE TABLE work AS SELECT 42 AS answer");
      breakTheBucket();
      result = session.fail(new IllegalStateException("script failed"));
    }
    assertThat(result.message()).startsWith("Uploading the failed run's catalog beside "
        + remote(dir).toUri() + " failed (");
    assertKept(result, "work");
  }

  @Test
  void whenTheKeptFolderCannotBeMadeTheWorkDirectoryStaysAndIsNamedSo() throws Exception {
    seed(config(dir));
    Path notADirectory = Files.writeString(dir.resolve("occupied"), "a file, not a folder");
    SyncResult result;
    try (CatalogSession session = CatalogSync.open(config(dir)
        .with(LeaSettings.CACHE_DIR, notADirectory.resolve("cache").toString())
        .with(LeaSettings.ON_FAILURE, "upload-on-success"))) {
      sql(session.connection(), "CREATE TABLE work AS SELECT 42 AS answer");
      result = session.fail(new IllegalStateException("script failed"));
    }
    assertKept(result, "work");
    assertThat(Path.of(result.where()).getParent().getFileName().toString())
        .startsWith("lea-kept-");
    assertThat(Path.of(result.where())).startsWith(dir.resolve("work"));
    // The next run must not take a kept folder for a leftover.
    try (CatalogSession session = CatalogSync.open(config(dir))) {
      session.commit();
    }
    assertThat(Path.of(result.where())).exists();
  }

  @Test
  void aSessionThatEndsBeforeItsCatalogIsPlacedKeepsIt() throws Exception {
    seed(config(dir));
    List<String> messages = new ArrayList<>();
    CatalogSession session = CatalogSync.open(config(dir)
        .with(LeaSettings.ON_FAILURE, "upload-on-success"), collecting(messages));
    sql(session.connection(), "CREATE TABLE work AS SELECT 42 AS answer");
    session.close();
    assertKept(session.result(), "work");
    assertThat(messages).anyMatch(m -> m.startsWith("Session closed without commit")
        && m.contains("kept at " + session.result().where()));
  }

  /**
   * Issue 17 item 3, deterministically: the first run's lock is broken with lea:unlock's own
   * call while it works and a second run takes the lock. Before, the first run uploaded over the
   * fence (the catalog had not changed yet), and the second, the real holder, then failed.
   */
  @Test
  void aRunThatLostItsLockNeverUploadsAndNamesTheNewHolder() throws Exception {
    seed(config(dir));
    String before = LocalFiles.sha256(remote(dir));
    CatalogSession first = CatalogSync.open(config(dir));
    sql(first.connection(), "CREATE TABLE from_first AS SELECT 1 AS x");
    try (ObjectStore store = ObjectStores.file(bucket(dir))) {
      LockObjects.breakLock(store, "warehouse.duckdb", first.runId());
    }
    try (CatalogSession second = CatalogSync.open(config(dir))) {
      assertThatThrownBy(first::commit)
          .isInstanceOf(LeaException.class)
          .satisfies(e -> assertThat(((LeaException) e).kind()).isEqualTo(LeaException.Kind.RUN))
          .hasMessageStartingWith("Cannot upload catalog " + remote(dir).toUri() + ": this run lost"
              + " its lock: it was taken over by ")
          .hasMessageContaining("run " + second.runId())
          .hasMessageContaining("Nothing was uploaded");
      first.close();
      assertThat(LocalFiles.sha256(remote(dir))).isEqualTo(before);
      assertKept(first.result(), "from_first");
      sql(second.connection(), "CREATE TABLE from_second AS SELECT 2 AS x");
      assertThat(second.commit().outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    }
    assertThat(tables(config(dir))).contains("from_second").doesNotContain("from_first");
  }

  @Test
  void aLockHolderThatMeetsAChangedCatalogSaysWhatHappened() throws Exception {
    seed(config(dir));
    try (CatalogSession holder = CatalogSync.open(config(dir))) {
      sql(holder.connection(), "CREATE TABLE from_holder AS SELECT 1 AS x");
      try (CatalogSession rogue = CatalogSync.open(config(dir).with(LeaSettings.LOCK, "none"))) {
        sql(rogue.connection(), "CREATE TABLE from_rogue AS SELECT 2 AS x");
        rogue.commit();
      }
      assertThatThrownBy(holder::commit)
          .isInstanceOf(LeaException.class)
          .hasMessageContaining("another writer changed it after this run downloaded it")
          .hasMessageContaining("although this run held its lock-file lock")
          .hasMessageNotContaining("use a lock-file lock");
      assertKept(holder.result(), "from_holder");
    }
  }

  /**
   * DuckDB creates its write-ahead log with the process umask (0644 on most systems); issue 17
   * item 8 found such files inside leftover session folders. The session restricts each new file
   * as it appears, which happens on DuckDB's side, so this waits for it with a deadline.
   */
  @Test
  void filesDuckDbCreatesInTheSessionDirectoryAreOwnerOnly() throws Exception {
    try (CatalogSession session = CatalogSync.open(config(dir))) {
      sql(session.connection(), "CREATE TABLE t AS SELECT range AS i FROM range(1000)");
      Path wal;
      try (Stream<Path> files = Files.walk(dir.resolve("work"))) {
        wal = files.filter(p -> p.toString().endsWith(".wal")).findFirst().orElseThrow();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.getPosixFilePermissions(wal).equals(PosixFilePermissions.fromString(
          "rw-------")) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)))
          .isEqualTo("rw-------");
      session.commit();
    }
  }

  @Test
  void aLiveSessionsDirectoryIsNotTakenForALeftover() throws Exception {
    seed(config(dir));
    try (CatalogSession first = CatalogSync.open(config(dir).with(LeaSettings.LOCK, "none"))) {
      sql(first.connection(), "CREATE TABLE from_first AS SELECT 1 AS x");
      try (CatalogSession second = CatalogSync.open(config(dir).with(LeaSettings.LOCK, "none"))) {
        second.commit();
      }
      assertThat(count(first.connection(), "from_first")).isEqualTo(1);
      assertThat(first.commit().outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    }
    assertThat(dir.resolve("work")).isEmptyDirectory();
  }

  /** The bucket folder is replaced by a file: every write to it fails, as a dead disk would. */
  private void breakTheBucket() throws Exception {
    Files.move(bucket(dir), dir.resolve("bucket-moved"));
    Files.writeString(bucket(dir), "not a folder");
  }

  private void assertKept(SyncResult result, String table) throws Exception {
    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.KEPT_LOCAL);
    Path kept = Path.of(result.where());
    assertThat(kept).isRegularFile();
    assertThat(result.message()).contains("kept at " + kept);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)))
        .isEqualTo("rw-------");
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:" + kept)) {
      assertThat(count(duckdb, table)).isPositive();
    }
  }
}
