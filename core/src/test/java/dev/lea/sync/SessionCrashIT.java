package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    assertThat(dir.resolve("bucket").resolve(".lea/locks/warehouse.duckdb.lock")).exists();
    assertThat(labelsAfterTakeover()).containsExactly("seed");
  }

  @Test
  void killedAfterTheUploadLeavesTheNewCatalog() throws Exception {
    seed();
    byte[] before = Files.readAllBytes(remote());

    killAt("release");

    assertThat(Files.readAllBytes(remote())).isNotEqualTo(before);
    assertThat(dir.resolve("bucket").resolve(".lea/locks/warehouse.duckdb.lock")).exists();
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
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1",
        "-Dlea.test.pausingRoot=" + dir,
        "-Dlea.test.pauseAt=" + point,
        "-cp", System.getProperty("java.class.path"),
        SessionChild.class.getName(), "child", dir.toString(),
        LeaSettings.DUCKDB_PATH + "=pausing://bucket/warehouse.duckdb",
        LeaSettings.LOCK_TTL + "=PT2S",
        LeaSettings.TRANSPORT + "=" + transport,
        LeaSettings.CACHE_ENABLED + "=false",
        LeaSettings.WORK_DIR + "=" + dir.resolve("child-work")));
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      boolean paused = false;
      while (!paused && (line = out.readLine()) != null) {
        if (line.startsWith("OPENED")) {
          process.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
          process.getOutputStream().flush();
        }
        paused = line.equals("PAUSED-" + point.toUpperCase(java.util.Locale.ROOT));
      }
      assertThat(paused).as("the child reached the %s pause", point).isTrue();
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      process.destroyForcibly();
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
    assertThat(dir.resolve("bucket").resolve(".lea/locks/warehouse.duckdb.lock")).doesNotExist();
    return labels;
  }
}
