package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.reliability.ReliabilityChild;
import dev.lea.store.ObjectStore;
import dev.lea.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString())
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

  /**
   * Issue 16: the catalog moves into the cache after the upload and the lock release. Killed
   * between the two, the cache holds an entry whose file is gone: the next run must download,
   * not reuse anything stale, and see the killed run's committed row.
   */
  @Test
  void killedBeforeTheCatalogMovesBackToTheCacheTheNextRunIsCorrect() throws Exception {
    Path cache = dir.resolve("child-cache");
    assertThat(runChild("first", "", cache)).isZero();
    assertThat(runChild("second", "release", cache)).isNull();
    assertThat(runChild("third", "", cache)).isZero();
    assertThat(runChild("fourth", "", cache)).isZero();
    assertThat(labelsAfterTakeover()).containsExactly("first", "fourth", "second", "third");
    assertThat(seenBy()).containsExactly("first:0", "second:1", "third:2", "fourth:3",
        "after:4");
  }

  /**
   * Issue 16: an unchanged session takes the cached file by a rename and gives it back by a
   * rename after releasing its lock. Killed in between, the cache has an entry and no file: the
   * next run downloads the catalog and is correct, and the one after is served by the cache.
   */
  @Test
  void killedBeforeAnUnchangedCatalogMovesBackTheNextRunIsCorrect() throws Exception {
    Path cache = dir.resolve("child-cache");
    assertThat(runChild("first", "", cache)).isZero();
    assertThat(runChild("look", "release", cache, "-Dlea.test.write=false")).isNull();
    assertThat(cache.resolve("catalogs")).isDirectoryRecursivelyContaining("glob:**/entry.json");
    assertThat(runChild("second", "", cache)).isZero();
    assertThat(runChild("third", "", cache)).isZero();
    assertThat(seenBy()).containsExactly("first:0", "second:1", "third:2");
  }

  /**
   * Issue 17 item 2: a store that stops answering mid-upload. The run says it is waiting, gives
   * up at {@code lea.transfer.timeout}, keeps its catalog, and stops renewing its lock, so the
   * next run takes it over once it expires instead of waiting behind a hung run for ever.
   */
  @Test
  void aStalledUploadGivesUpAtTheDeadlineAndStopsRenewingTheLock() throws Exception {
    seed();
    byte[] before = Files.readAllBytes(remote());
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1",
        "-Dlea.test.pausingRoot=" + dir,
        "-Dlea.test.pauseAt=upload",
        "-cp", System.getProperty("java.class.path"),
        SessionChild.class.getName(), "stalled", dir.toString(),
        LeaSettings.DUCKDB_PATH + "=pausing://bucket/warehouse.duckdb",
        LeaSettings.LOCK_TTL + "=PT2S",
        LeaSettings.TRANSFER_TIMEOUT + "=PT3S",
        LeaSettings.TRANSFER_PROGRESS + "=PT1S",
        LeaSettings.CACHE_ENABLED + "=false",
        LeaSettings.CACHE_DIR + "=" + dir.resolve("cache"),
        LeaSettings.WORK_DIR + "=" + dir.resolve("child-work")));
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(
          process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
          if (line.startsWith("OPENED")) {
            process.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
          }
        }
      } catch (java.io.IOException ended) {
        // The process is gone; its exit code says how.
      }
    }, "stalled-child");
    reader.setDaemon(true);
    reader.start();
    try {
      assertThat(process.waitFor(120, TimeUnit.SECONDS))
          .as("the run ended instead of hanging on the stalled upload (output: %s)", lines)
          .isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(30));
    } finally {
      process.destroyForcibly();
    }

    assertThat(process.exitValue()).as("output: %s", lines).isEqualTo(3);
    assertThat(lines).anyMatch(l -> l.startsWith("INFO Still uploading catalog "));
    assertThat(lines).anyMatch(l -> l.startsWith("CONFLICT Cannot upload catalog ")
        && l.contains("it took longer than lea.transfer.timeout (PT3S)")
        && l.contains("kept at " + dir.resolve("cache").resolve("kept")));
    assertThat(Files.readAllBytes(remote())).isEqualTo(before);
    try (dev.lea.store.ObjectStore store =
        dev.lea.store.ObjectStores.file(dir.resolve("bucket"))) {
      assertThat(dev.lea.lock.LockObjects.inspect(store, "warehouse.duckdb"))
          .as("an abandoned lock is left to expire, not released under a transfer that may land")
          .isPresent();
    }
    assertThat(labelsAfterTakeover()).containsExactly("seed");
  }

  /** One child session; its exit code, or null when it was killed at {@code pauseAt}. */
  private Integer runChild(String label, String pauseAt, Path cache, String... jvmOptions)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1",
        "-Dlea.test.pausingRoot=" + dir,
        "-Dlea.test.pauseAt=" + pauseAt));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of(
        "-cp", System.getProperty("java.class.path"),
        SessionChild.class.getName(), label, dir.toString(),
        LeaSettings.DUCKDB_PATH + "=pausing://bucket/warehouse.duckdb",
        LeaSettings.LOCK_TTL + "=PT2S",
        LeaSettings.LOCK_WAIT + "=PT60S",
        LeaSettings.CACHE_DIR + "=" + cache,
        LeaSettings.WORK_DIR + "=" + dir.resolve("child-work")));
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("OPENED")) {
          process.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
          process.getOutputStream().flush();
        }
        if (line.startsWith("PAUSED-")) {
          process.destroyForcibly();
          assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
          return null;
        }
      }
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return process.exitValue();
    } finally {
      process.destroyForcibly();
    }
  }

  private List<String> seenBy() throws Exception {
    List<String> rows = new ArrayList<>();
    try (CatalogSession session = CatalogSync.open(parentConfig()
        .with(LeaSettings.READ_ONLY, "true"));
        Statement s = session.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT label, seen FROM runs ORDER BY seen")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + ":" + rs.getLong(2));
      }
      session.commit();
    }
    return rows;
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
    assertThat(dir.resolve("bucket").resolve(".lea/locks/warehouse.duckdb.lock")).doesNotExist();
    return labels;
  }
}
