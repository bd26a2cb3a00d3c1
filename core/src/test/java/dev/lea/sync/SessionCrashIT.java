package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.reliability.ReliabilityChild;
import dev.lea.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the middle of a sync: the remote catalog is the old one or the new one,
 * byte-for-byte, and the dead run's lock is taken over once its TTL has passed.
 */
class SessionCrashIT {

  @TempDir Path dir;

  private Path remote() {
    return dir.resolve("bucket").resolve("warehouse.duckdb");
  }

  private String transport = "object-copy";

  private LeaConfig parentConfig() {
    return LeaConfig.defaults(dir)
        .with(LeaSettings.TRANSPORT, transport)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote())
        .with(LeaSettings.LOCK_WAIT, "PT60S")
        .with(LeaSettings.CACHE_ENABLED, "false")
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
  }

  @Test
  void killedHalfwayThroughTheUploadLeavesTheOldCatalog() throws Exception {
    seed();
    byte[] before = Files.readAllBytes(remote());

    killAt("upload");

    assertThat(Files.readAllBytes(remote())).isEqualTo(before);
    assertThat(dir.resolve("bucket").resolve("warehouse.duckdb.lock")).exists();
    assertThat(labelsAfterTakeover()).containsExactly("seed");
  }

  @Test
  void killedAfterTheUploadLeavesTheNewCatalog() throws Exception {
    seed();
    byte[] before = Files.readAllBytes(remote());

    killAt("release");

    assertThat(Files.readAllBytes(remote())).isNotEqualTo(before);
    assertThat(dir.resolve("bucket").resolve("warehouse.duckdb.lock")).exists();
    assertThat(labelsAfterTakeover()).containsExactly("child", "seed");
  }

  @Test
  void chunkedKilledBetweenChunksOrInTheManifestLeavesTheOldCatalog() throws Exception {
    transport = "chunked";
    seed();
    byte[] before = Files.readAllBytes(remote());

    killAt("chunk");
    assertThat(Files.readAllBytes(remote())).isEqualTo(before);
    assertThat(labelsAfterTakeover()).containsExactly("seed");

    byte[] afterTakeover = Files.readAllBytes(remote());
    killAt("upload");
    assertThat(Files.readAllBytes(remote())).isEqualTo(afterTakeover);
    assertThat(labelsAfterTakeover()).containsExactly("after", "seed");
  }

  private void seed() throws Exception {
    try (CatalogSession session = CatalogSync.open(parentConfig());
        Statement s = session.connection().createStatement()) {
      s.execute("CREATE TABLE runs AS SELECT 'seed' AS label, 0::BIGINT AS seen"
          + " FROM range(1)");
      s.execute("CREATE TABLE filler AS SELECT range AS i, md5(range::VARCHAR) AS h"
          + " FROM range(200000)");
      session.commit();
    }
  }

  private void killAt(String point) throws Exception {
    try (ChildJvm child = ReliabilityChild.start("child", dir, null,
        Map.of("lea.test.pausingRoot", dir.toString(), "lea.test.pauseAt", point),
        Map.of(LeaSettings.DUCKDB_PATH, "pausing://bucket/warehouse.duckdb",
            LeaSettings.LOCK_TTL, "PT2S",
            LeaSettings.TRANSPORT, transport,
            LeaSettings.CACHE_ENABLED, "false",
            LeaSettings.WORK_DIR, dir.resolve("child-work").toString()))) {
      child.send("go");
      child.send("go");
      child.await("PAUSED-" + point.toUpperCase(Locale.ROOT));
      child.kill();
    }
  }

  /** Opens a session that waits out the dead run's lock, and lists the labels it sees. */
  private List<String> labelsAfterTakeover() throws Exception {
    List<String> labels = new ArrayList<>();
    try (CatalogSession session = CatalogSync.open(parentConfig());
        Statement s = session.connection().createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT label FROM runs ORDER BY label")) {
        while (rs.next()) {
          labels.add(rs.getString(1));
        }
      }
      s.execute("INSERT INTO runs VALUES ('after', " + labels.size() + ")");
      session.commit();
    }
    assertThat(dir.resolve("bucket").resolve("warehouse.duckdb.lock")).doesNotExist();
    return labels;
  }
}
