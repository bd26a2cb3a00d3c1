package dev.lea.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.lock.LockObjects;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.sync.SyncResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every failure policy promises (SPEC §3): it is found by its name; it decides for any
 * failure without throwing; a key it chooses is beside the catalog's, never the catalog's own,
 * and unique per run; and through a real session, the run's catalog ends where the result says,
 * with the failed run's work in it, and the lock is released.
 */
abstract class FailurePolicyContractTest {

  @TempDir Path dir;

  /** The policy under test, as its provider creates it. */
  abstract FailurePolicy policy();

  private FailureContext context(String runId) {
    return new FailureContext("lake/warehouse.duckdb", runId,
        Instant.parse("2026-12-01T12:00:00Z"), new IllegalStateException("script failed"));
  }

  @Test
  void isFoundByItsName() {
    assertThat(FailurePolicies.named(policy().name())).isInstanceOf(policy().getClass());
  }

  @Test
  void decidesForEveryKindOfFailure() {
    for (Throwable cause : new Throwable[] {new IllegalStateException("script"),
        new InterruptedException("the JVM is shutting down"), new OutOfMemoryError("heap")}) {
      Disposition disposition = policy().onFailure(new FailureContext("w.duckdb", "run1",
          Instant.now(), cause));
      assertThat(disposition).isNotNull();
    }
  }

  @Test
  void aKeyItChoosesIsBesideTheCatalogAndUniquePerRun() {
    Disposition first = policy().onFailure(context("run000000001"));
    Disposition second = policy().onFailure(context("run000000002"));
    if (first.target() == Disposition.Target.ASIDE) {
      assertThat(first.key()).startsWith("lake/warehouse.duckdb.")
          .isNotEqualTo("lake/warehouse.duckdb")
          .contains("run000000001")
          .isNotEqualTo(second.key());
    } else {
      assertThat(first.key()).isNull();
    }
  }

  @Test
  void theFailedRunsCatalogEndsWhereTheResultSaysAndTheLockIsReleased() throws Exception {
    Path remote = dir.resolve("bucket").resolve("warehouse.duckdb");
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote)
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString())
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString())
        .with(LeaSettings.ON_FAILURE, policy().name());
    try (CatalogSession session = CatalogSync.open(config)) {
      session.connection().createStatement().execute("CREATE TABLE seeded AS SELECT 1 AS x");
      session.commit();
    }
    String before = LocalFiles.sha256(remote);

    SyncResult result;
    try (CatalogSession session = CatalogSync.open(config)) {
      session.connection().createStatement().execute("CREATE TABLE partial AS SELECT 7 AS x");
      result = session.fail(new IllegalStateException("script failed"));
    }

    assertThat(result.message()).contains(result.where()).contains(policy().name());
    if (result.outcome() != SyncResult.Outcome.UPLOADED) {
      assertThat(LocalFiles.sha256(remote)).isEqualTo(before);
    }
    assertThat(partialRows(config, result)).isEqualTo(7);
    try (ObjectStore store = ObjectStores.file(remote.getParent())) {
      assertThat(LockObjects.inspect(store, "warehouse.duckdb")).isEmpty();
    }
  }

  /** Reads the failed run's table from wherever the result says its catalog went. */
  private static int partialRows(LeaConfig config, SyncResult result) throws Exception {
    if (result.outcome() == SyncResult.Outcome.KEPT_LOCAL) {
      try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:" + result.where());
          Statement s = duckdb.createStatement()) {
        return partialRows(s);
      }
    }
    assertThat(result.outcome()).isIn(SyncResult.Outcome.UPLOADED,
        SyncResult.Outcome.UPLOADED_ASIDE);
    try (CatalogSession session = CatalogSync.open(config
        .with(LeaSettings.DUCKDB_PATH, result.where())
        .with(LeaSettings.CACHE_ENABLED, "false")
        .with(LeaSettings.READ_ONLY, "true"));
        Statement s = session.connection().createStatement()) {
      int rows = partialRows(s);
      session.commit();
      return rows;
    }
  }

  private static int partialRows(Statement s) throws Exception {
    try (ResultSet rs = s.executeQuery("SELECT x FROM partial")) {
      assertThat(rs.next()).isTrue();
      return rs.getInt(1);
    }
  }
}
