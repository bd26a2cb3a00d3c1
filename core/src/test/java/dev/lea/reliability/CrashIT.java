package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.Lea;
import dev.lea.Reporters;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.lock.LockInfo;
import dev.lea.lock.LockObjects;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import dev.lea.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGKILL at the points {@code SessionCrashIT} does not cover: halfway through the download,
 * during the run (work done, not committed), and inside a lock renewal. After each, the remote
 * catalog is the old one byte-for-byte, and the next run gets in once the dead run's lock
 * expires, or at once after {@code Lea.unlock} with the dead run's id.
 */
class CrashIT {

  @TempDir Path dir;
  private final List<ChildJvm> children = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    children.forEach(ChildJvm::close);
  }

  private Path remote() {
    return dir.resolve("bucket").resolve("warehouse.duckdb");
  }

  private Path lockFile() {
    return dir.resolve("bucket").resolve(".lea/locks/warehouse.duckdb.lock");
  }

  private LeaConfig parentConfig(String wait) {
    return LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote())
        .with(LeaSettings.LOCK, "lock-file")
        .with(LeaSettings.LOCK_WAIT, wait)
        .with(LeaSettings.PRODUCTION, "true")
        .with(LeaSettings.CACHE_ENABLED, "false")
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
  }

  @ParameterizedTest(name = "killed during {0}")
  @ValueSource(strings = {"download", "run", "heartbeat"})
  void theNextRunGetsInOnceTheDeadRunsLockExpires(String point) throws Exception {
    seed();
    byte[] before = Files.readAllBytes(remote());

    LockInfo dead = killDuring(point, "PT2S");

    assertThat(Files.readAllBytes(remote())).isEqualTo(before);
    assertLeftoversAreOwnerOnly();
    List<String> warnings = new CopyOnWriteArrayList<>();
    assertThat(labelsOfNextRun(parentConfig("PT60S"), warnings)).containsExactly("seed");
    assertThat(warnings).anySatisfy(w -> assertThat(w)
        .contains("Took over the expired lock").contains(dead.id()));
    assertThat(lockFile()).doesNotExist();
  }

  @ParameterizedTest(name = "killed during {0}")
  @ValueSource(strings = {"download", "run", "heartbeat"})
  void unlockLetsTheNextRunInAtOnce(String point) throws Exception {
    seed();
    byte[] before = Files.readAllBytes(remote());
    // Long enough that only the unlock, not expiry, can free the catalog during the test; the
    // heartbeat case needs a renewal (every third of the TTL) to happen first, so its TTL is
    // short enough not to wait long for it and leaves two thirds (10 s) to refuse the next run.
    LockInfo dead = killDuring(point, point.equals("heartbeat") ? "PT15S" : "PT10M");
    assertThat(dead.isExpired(Instant.now())).isFalse();

    LeaConfig config = parentConfig("PT0S");
    assertThatThrownBy(() -> labelsOfNextRun(config, new ArrayList<>()))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("Cannot take the lock on")
        .hasMessageContaining("mvn lea:unlock -Dlea.unlockId=" + dead.id());
    assertThatThrownBy(() -> Lea.unlock(config, "not-" + dead.id(), Reporter.silent()))
        .isInstanceOf(LeaException.class)
        .hasMessageContaining("Cannot break the lock on")
        .hasMessageContaining("it has id '" + dead.id() + "'");
    assertThat(lockFile()).exists();
    List<String> infos = new CopyOnWriteArrayList<>();
    Lea.unlock(config, dead.id(), Reporters.of(infos::add, message -> { }));

    assertThat(infos).anySatisfy(i -> assertThat(i).contains("Broke the lock " + dead.id()));
    assertThat(lockFile()).doesNotExist();
    assertThat(Files.readAllBytes(remote())).isEqualTo(before);
    assertThat(labelsOfNextRun(config, new ArrayList<>())).containsExactly("seed");
    assertThat(lockFile()).doesNotExist();
  }

  private void seed() throws Exception {
    try (CatalogSession session = CatalogSync.open(parentConfig("PT0S"));
        Statement s = session.connection().createStatement()) {
      s.execute("CREATE TABLE runs AS SELECT 'seed' AS label, 0::BIGINT AS seen");
      s.execute("CREATE TABLE filler AS SELECT range AS i, md5(range::VARCHAR) AS h"
          + " FROM range(200000)");
      session.commit();
    }
  }

  /** Starts a child on the fault store, SIGKILLs it at {@code point}; answers its lock. */
  private LockInfo killDuring(String point, String ttl) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(LeaSettings.DUCKDB_PATH, "pausing://bucket/warehouse.duckdb");
    settings.put(LeaSettings.LOCK, "lock-file");
    settings.put(LeaSettings.LOCK_TTL, ttl);
    settings.put(LeaSettings.CACHE_ENABLED, "false");
    settings.put(LeaSettings.WORK_DIR, dir.resolve("child-work").toString());
    ChildJvm child = ReliabilityChild.start("child", dir, dir.resolve("child.err"),
        Map.of("lea.test.pausingRoot", dir.toString(), "lea.test.pauseAt", point), settings);
    children.add(child);
    String runId = null;
    switch (point) {
      case "download" -> child.await("PAUSED-DOWNLOAD");
      case "run" -> {
        runId = child.await("OPENED").substring("OPENED ".length());
        child.send("go");
        child.await("WORKED");
      }
      // With a short TTL the first renewal may come before the session is open.
      case "heartbeat" -> child.await("PAUSED-HEARTBEAT");
      default -> throw new IllegalArgumentException(point);
    }
    child.kill();
    assertThat(child.output()).noneMatch(l -> l.startsWith("COMMITTED"));

    Optional<LockInfo> lock;
    try (ObjectStore store = ObjectStores.open(Location.parse("file:" + remote(), dir),
        parentConfig("PT0S"))) {
      lock = LockObjects.inspect(store, "warehouse.duckdb");
    }
    assertThat(lock).as("the dead run's lock").isPresent();
    assertThat(lock.get().pid()).isEqualTo(child.pid());
    if (runId != null) {
      assertThat(lock.get().id()).isEqualTo(runId);
    }
    return lock.get();
  }

  /**
   * A killed run leaves its work directory behind: the directory is owner-only (0700) and the
   * catalog copy lea wrote is 0600. DuckDB creates its own files in there (the {@code .wal}) with
   * the process umask; the directory is what keeps them private.
   */
  private void assertLeftoversAreOwnerOnly() throws Exception {
    try (Stream<Path> left = Files.list(dir.resolve("child-work"))) {
      List<Path> sessions = left.toList();
      assertThat(sessions).hasSize(1);
      Path session = sessions.get(0);
      assertThat(Files.getPosixFilePermissions(session)).as(session.toString())
          .containsExactlyInAnyOrderElementsOf(PosixFilePermissions.fromString("rwx------"));
      try (Stream<Path> files = Files.list(session)) {
        assertThat(files.filter(p -> !p.getFileName().toString().endsWith(".wal")))
            .allSatisfy(p -> assertThat(Files.getPosixFilePermissions(p)).as(p.toString())
                .containsExactlyInAnyOrderElementsOf(PosixFilePermissions.fromString("rw-------")));
      }
    }
  }

  private List<String> labelsOfNextRun(LeaConfig config, List<String> warnings)
      throws Exception {
    List<String> labels = new ArrayList<>();
    try (CatalogSession session = CatalogSync.open(config, Reporters.of(message -> { },
        warnings::add));
        Statement s = session.connection().createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT label FROM runs ORDER BY label")) {
        while (rs.next()) {
          labels.add(rs.getString(1));
        }
      }
      s.execute("INSERT INTO runs VALUES ('after', " + labels.size() + ")");
      assertThat(session.commit().message()).contains("Catalog uploaded to");
    }
    return labels;
  }
}
