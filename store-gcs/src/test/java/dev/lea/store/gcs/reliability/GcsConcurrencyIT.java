package dev.lea.store.gcs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.lock.LockFiles;
import dev.lea.reliability.ChildJvm;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.gcs.FakeGcsServer;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many real JVMs on one {@code gs://} catalog served by the GCS fake in this JVM, whose
 * generation preconditions are checked and applied atomically, as GCS does. With {@code
 * lock-file} every change lands and the runs are serial; with {@code conditional-write} exactly
 * one writer of a round wins and every other one is refused, nothing overwritten, its catalog
 * kept locally and beside the catalog. {@code -Dlea.test.heavy=true} runs more processes and
 * rounds.
 */
class GcsConcurrencyIT {

  private static final boolean HEAVY = Boolean.getBoolean("lea.test.heavy");
  static final int LOCK_FILE_PROCESSES = HEAVY ? 12 : 6;
  static final int CONDITIONAL_PROCESSES = 6;
  static final int CONDITIONAL_ROUNDS = HEAVY ? 4 : 2;
  private static final String BUCKET = "concurrency";
  private static final String KEY = "lake/warehouse.duckdb";
  private static final String URL = "gs://" + BUCKET + "/" + KEY;

  @TempDir Path dir;
  private FakeGcsServer fake;
  private ObjectStore store;
  private final List<ChildJvm> children = new ArrayList<>();

  @BeforeEach
  void startFake() throws Exception {
    fake = FakeGcsServer.start();
    fake.createBucket(BUCKET);
    store = ObjectStores.open(Location.parse(URL, dir), withGcs(LeaConfig.defaults(dir)));
  }

  @AfterEach
  void stop() throws Exception {
    children.forEach(ChildJvm::close);
    store.close();
    fake.close();
  }

  private LeaConfig withGcs(LeaConfig config) {
    return config.with(LeaSettings.GCS_ENDPOINT, fake.endpoint())
        .with(LeaSettings.GCS_PROJECT, "lea-concurrency");
  }

  private ChildJvm start(String label, String lock) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(LeaSettings.DUCKDB_PATH, URL);
    settings.put(LeaSettings.LOCK, lock);
    settings.put(LeaSettings.LOCK_WAIT, "PT5M");
    settings.put(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
    settings.put(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    settings.put(LeaSettings.GCS_ENDPOINT, fake.endpoint());
    settings.put(LeaSettings.GCS_PROJECT, "lea-concurrency");
    ChildJvm child = ChildJvm.start(label, dir, dir.resolve("children.err"), Map.of(), settings);
    children.add(child);
    return child;
  }

  @Test
  void lockFileWritersAllLandOneAtATime() throws Exception {
    List<ChildJvm> writers = new ArrayList<>();
    for (int i = 0; i < LOCK_FILE_PROCESSES; i++) {
      ChildJvm child = start("w" + i, "lock-file");
      child.send("go");
      child.send("go");
      writers.add(child);
    }
    for (ChildJvm writer : writers) {
      writer.await("COMMITTED");
      assertThat(writer.exit()).as(writer.label).isZero();
    }

    Map<String, Long> rows = rows();
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(
        writers.stream().map(w -> w.label).toList());
    assertThat(rows.values()).as("rows each writer saw before adding its own")
        .containsExactlyInAnyOrderElementsOf(
            LongStream.range(0, LOCK_FILE_PROCESSES).boxed().toList());
    assertThat(store.head(LockFiles.lockKey(KEY))).as("the lock after the last release").isEmpty();
    assertThat(conflictObjects()).isEmpty();
  }

  @Test
  void conditionalWriteLetsExactlyOneWriterWinEachRound() throws Exception {
    List<String> winners = new ArrayList<>();
    for (int round = 0; round < CONDITIONAL_ROUNDS; round++) {
      List<ChildJvm> writers = new ArrayList<>();
      for (int i = 0; i < CONDITIONAL_PROCESSES; i++) {
        writers.add(start("r" + round + "w" + i, "conditional-write"));
      }
      // Everyone has downloaded the same version before anyone writes.
      for (ChildJvm writer : writers) {
        writer.await("OPENED");
      }
      for (ChildJvm writer : writers) {
        writer.send("go");
        writer.send("go");
      }
      List<String> kept = new ArrayList<>();
      for (ChildJvm writer : writers) {
        String outcome = writer.awaitAny("COMMITTED", "CONFLICT", "FAILED");
        if (outcome.startsWith("COMMITTED")) {
          assertThat(writer.exit()).isZero();
          winners.add(writer.label);
          continue;
        }
        assertThat(outcome).as(writer.label).startsWith("CONFLICT")
            .contains("Cannot upload catalog " + URL)
            .contains("another writer changed it after this run downloaded it")
            .contains("Nothing was overwritten").contains("kept at ")
            .contains("and uploaded as");
        assertThat(writer.exit()).isEqualTo(3);
        kept.add(outcome.substring(outcome.indexOf("kept at ") + "kept at ".length(),
            outcome.indexOf(" and uploaded as")));
      }
      assertThat(winners).as("winners after round %d", round).hasSize(round + 1);
      assertThat(kept).hasSize(CONDITIONAL_PROCESSES - 1)
          .allSatisfy(path -> assertThat(Path.of(path)).isRegularFile());

      Map<String, Long> rows = rows();
      assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(winners);
      assertThat(rows.get(winners.get(round))).isEqualTo(round);
      assertThat(conflictObjects()).hasSize((round + 1) * (CONDITIONAL_PROCESSES - 1));
    }
  }

  private List<ObjectInfo> conflictObjects() throws Exception {
    return store.list(KEY + ".conflict-");
  }

  /** Label to the number of rows that writer saw, read back through a read-only session. */
  private Map<String, Long> rows() throws Exception {
    LeaConfig config = withGcs(LeaConfig.defaults(dir))
        .with(LeaSettings.DUCKDB_PATH, URL)
        .with(LeaSettings.READ_ONLY, "true")
        .with(LeaSettings.CACHE_ENABLED, "false")
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    Map<String, Long> byLabel = new LinkedHashMap<>();
    int count = 0;
    try (CatalogSession session = CatalogSync.open(config);
        Statement s = session.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT label, seen FROM runs")) {
      while (rs.next()) {
        byLabel.put(rs.getString(1), rs.getLong(2));
        count++;
      }
      session.commit();
    }
    assertThat(byLabel).as("one row per label").hasSize(count);
    return byLabel;
  }
}
