package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.reliability.ReliabilityChild;
import dev.lea.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real JVMs run sessions against one file: catalog; the lock and the fence keep them apart. */
class SessionProcessIT {

  @TempDir Path dir;
  private final List<ChildJvm> children = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    children.forEach(ChildJvm::close);
  }

  private Path remote() {
    return dir.resolve("bucket").resolve("warehouse.duckdb");
  }

  private Map<String, String> settings(String lock) {
    return Map.of(
        LeaSettings.DUCKDB_PATH, "file:" + remote(),
        LeaSettings.LOCK, lock,
        LeaSettings.LOCK_WAIT, "PT60S",
        LeaSettings.CACHE_DIR, dir.resolve("cache").toString(),
        LeaSettings.WORK_DIR, dir.resolve("work").toString());
  }

  @Test
  void lockFileRunsOneWriterAtATimeAndKeepsBothChanges() throws Exception {
    ChildJvm first = start("first", settings("lock-file"));
    first.await("OPENED");
    ChildJvm second = start("second", settings("lock-file"));
    second.await("INFO Waiting up to");
    proceed(first);
    first.await("COMMITTED");
    assertThat(first.exit()).isZero();
    second.await("OPENED");
    proceed(second);
    second.await("COMMITTED");
    assertThat(second.exit()).isZero();

    assertThat(rows()).containsExactly("first:0", "second:1");
  }

  @Test
  void conditionalWriteRefusesTheLoserAndKeepsTheWinnerIntact() throws Exception {
    ChildJvm first = start("first", settings("conditional-write"));
    ChildJvm second = start("second", settings("conditional-write"));
    first.await("OPENED");
    second.await("OPENED");
    proceed(first);
    first.await("COMMITTED");
    assertThat(first.exit()).isZero();
    proceed(second);
    String conflict = second.await("CONFLICT");
    assertThat(second.exit()).isEqualTo(3);

    assertThat(conflict).contains("another writer changed it after this run downloaded it")
        .contains("Nothing was overwritten").contains("kept at ");
    assertThat(rows()).containsExactly("first:0");
    try (Stream<Path> files = Files.list(remote().getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("warehouse.duckdb.conflict-"));
    }
    String kept = conflict.substring(conflict.indexOf("kept at ") + "kept at ".length());
    kept = kept.substring(0, kept.indexOf(" and uploaded as"));
    assertThat(Path.of(kept)).exists();
  }

  private List<String> rows() throws Exception {
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote())
        .with(LeaSettings.READ_ONLY, "true")
        .with(LeaSettings.CACHE_ENABLED, "false")
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    List<String> rows = new ArrayList<>();
    try (CatalogSession session = CatalogSync.open(config);
        Statement s = session.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT label, seen FROM runs ORDER BY seen, label")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + ":" + rs.getLong(2));
      }
      session.commit();
    }
    return rows;
  }

  private ChildJvm start(String label, Map<String, String> settings) throws IOException {
    ChildJvm child = ReliabilityChild.start(label, dir, null, Map.of(), settings);
    children.add(child);
    return child;
  }

  /** The child works and commits: it waits for a line before each. */
  private static void proceed(ChildJvm child) throws IOException {
    child.send("go");
    child.send("go");
  }
}
