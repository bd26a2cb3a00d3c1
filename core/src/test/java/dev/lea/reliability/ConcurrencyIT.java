package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many real JVMs on one {@code file:} catalog. With {@code lock-file} every change lands and the
 * runs are serial (each saw a different number of rows); with {@code conditional-write} exactly
 * one writer of a round wins and every other one is refused, nothing overwritten, its catalog
 * kept locally and beside the catalog. {@code -Dlea.test.heavy=true} runs more processes and
 * rounds.
 */
class ConcurrencyIT {

  private static final boolean HEAVY = Boolean.getBoolean("lea.test.heavy");
  static final int LOCK_FILE_PROCESSES = HEAVY ? 16 : 8;
  static final int CONDITIONAL_PROCESSES = 8;
  static final int CONDITIONAL_ROUNDS = HEAVY ? 5 : 2;

  @TempDir Path dir;
  private final List<ChildJvm> children = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    children.forEach(ChildJvm::close);
  }

  private Path remote() {
    return dir.resolve("bucket").resolve("warehouse.duckdb");
  }

  private ChildJvm start(String label, String lock) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(LeaSettings.DUCKDB_PATH, "file:" + remote());
    settings.put(LeaSettings.LOCK, lock);
    settings.put(LeaSettings.LOCK_WAIT, "PT5M");
    settings.put(LeaSettings.CACHE_DIR, dir.resolve("cache").toString());
    settings.put(LeaSettings.WORK_DIR, dir.resolve("work").toString());
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
    assertThat(dir.resolve("bucket").resolve(".lea/locks/warehouse.duckdb.lock")).doesNotExist();
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
            .contains("Cannot upload catalog")
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

  private List<String> conflictObjects() throws Exception {
    try (Stream<Path> files = Files.list(remote().getParent())) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("warehouse.duckdb.conflict-")).toList();
    }
  }

  /** Label to the number of rows that writer saw, read back through a read-only session. */
  private Map<String, Long> rows() throws Exception {
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote())
        .with(LeaSettings.READ_ONLY, "true")
        .with(LeaSettings.CACHE_ENABLED, "false")
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    List<Object[]> rows = new ArrayList<>();
    try (CatalogSession session = CatalogSync.open(config);
        Statement s = session.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT label, seen FROM runs")) {
      while (rs.next()) {
        rows.add(new Object[] {rs.getString(1), rs.getLong(2)});
      }
      session.commit();
    }
    Map<String, Long> byLabel = rows.stream().collect(Collectors.toMap(
        r -> (String) r[0], r -> (Long) r[1]));
    assertThat(byLabel).as("one row per label").hasSize(rows.size());
    return byLabel;
  }
}
