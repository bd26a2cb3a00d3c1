package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.Lea;
import dev.lea.Reporters;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.lock.LockObjects;
import dev.lea.spi.LeaException;
import dev.lea.spi.Reporter;
import dev.lea.sync.CatalogSession;
import dev.lea.sync.CatalogSync;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local files are owner-only while a session is open and after it, and no secret value reaches
 * the reporter, an exception, a lock body or any other object lea writes, or {@code lea:status}.
 */
class SecurityTest {

  private static final String KEY_ID = "AKIA-LEA-TEST";
  private static final String SECRET = "lea-test-secret-value";
  private static final String SECRETS = "TYPE s3, KEY_ID '" + KEY_ID + "', SECRET '" + SECRET + "'";
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  @TempDir Path dir;
  private final List<String> reported = new CopyOnWriteArrayList<>();
  private final Reporter reporter = Reporters.collecting(reported);

  @BeforeEach
  void clearRecording() {
    RecordingStoreProvider.WRITTEN.clear();
  }

  private LeaConfig config(String lock) {
    return LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + dir.resolve("bucket").resolve("w.duckdb"))
        .with(LeaSettings.LOCK, lock)
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString())
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
  }

  @Test
  void sessionFilesAndCacheEntriesAreOwnerOnlyWhileOpenAndAfter() throws Exception {
    try (CatalogSession first = CatalogSync.open(config("lock-file"));
        Statement s = first.connection().createStatement()) {
      s.execute("CREATE TABLE t AS SELECT 1 AS x");
      first.commit();
    }
    try (CatalogSession second = CatalogSync.open(config("lock-file"), reporter)) {
      List<Path> sessions = list(dir.resolve("work"));
      assertThat(sessions).hasSize(1);
      assertThat(Files.getPosixFilePermissions(sessions.get(0))).isEqualTo(DIRECTORY);
      List<Path> files = list(sessions.get(0));
      assertThat(files).extracting(p -> p.getFileName().toString()).contains("w.duckdb");
      assertLeaFilesOwnerOnly(files);
      assertTreeOwnerOnly(dir.resolve("cache"));
      try (Statement s = second.connection().createStatement()) {
        s.execute("INSERT INTO t VALUES (2)");
      }
      second.commit();
    }
    assertThat(list(dir.resolve("work"))).isEmpty();
    assertTreeOwnerOnly(dir.resolve("cache"));
    assertThat(walk(dir.resolve("cache"))).anyMatch(p -> p.endsWith("catalog"));
  }

  @Test
  void aCatalogKeptAsideAfterAConflictIsOwnerOnly() throws Exception {
    try (CatalogSession first = CatalogSync.open(config("conditional-write"));
        CatalogSession second = CatalogSync.open(config("conditional-write"))) {
      try (Statement s = first.connection().createStatement()) {
        s.execute("CREATE TABLE t AS SELECT 1 AS x");
      }
      try (Statement s = second.connection().createStatement()) {
        s.execute("CREATE TABLE u AS SELECT 2 AS y");
      }
      first.commit();
      assertThatThrownBy(second::commit).isInstanceOf(LeaException.class)
          .hasMessageContaining("another writer changed it");
    }
    Path kept = dir.resolve("cache").resolve("kept");
    assertThat(list(kept)).hasSize(1);
    assertTreeOwnerOnly(kept);
  }

  @Test
  void noSecretValueReachesReporterErrorsStoreObjectsOrStatus() throws Exception {
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "recording://bucket/w.duckdb")
        .with(LeaSettings.LOCK, "lock-file")
        .with(LeaSettings.DUCKDB_SECRETS, SECRETS)
        .with(LeaSettings.PRODUCTION, "true")
        .with(LeaSettings.CACHE_DIR, dir.resolve("cache").toString())
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    List<String> texts = new ArrayList<>();

    // Offline, DuckDB has no S3 secret type (httpfs cannot be installed), so the open fails at
    // CREATE SECRET, after the lock was written; when it does load, the session runs instead.
    try (CatalogSession session = CatalogSync.open(config, reporter)) {
      try (Statement s = session.connection().createStatement()) {
        s.execute("CREATE TABLE t AS SELECT 1 AS x");
      }
      session.commit();
    } catch (LeaException e) {
      assertThat(e.getMessage()).startsWith("Cannot create DuckDB secret #1 of "
          + LeaSettings.DUCKLAKE_SECRET + " and " + LeaSettings.DUCKDB_SECRETS)
          .contains("the value is not shown");
      texts.add(stackTrace(e));
    }
    assertThat(RecordingStoreProvider.WRITTEN).extracting(RecordingStoreProvider.Write::key)
        .contains(LockObjects.lockKey("w.duckdb"));

    assertThatThrownBy(() -> Lea.unlock(config, "no-such-id", reporter))
        .satisfies(e -> texts.add(stackTrace(e)));
    texts.addAll(Lea.status(config));
    assertThat(Lea.status(config)).anySatisfy(line -> assertThat(line)
        .contains(LeaSettings.DUCKDB_SECRETS).contains("****"));
    texts.add(config.toString());
    texts.addAll(reported);
    for (RecordingStoreProvider.Write write : RecordingStoreProvider.WRITTEN) {
      texts.add(new String(write.body(), StandardCharsets.ISO_8859_1));
      texts.add(write.metadata().toString());
    }
    for (Path file : walk(dir)) {
      texts.add(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
    }

    assertThat(texts).isNotEmpty().allSatisfy(text -> assertThat(text)
        .doesNotContain(SECRET).doesNotContain(KEY_ID));
  }

  private static String stackTrace(Throwable e) {
    StringWriter text = new StringWriter();
    e.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  /** Files lea writes are 0600; DuckDB's own (the .wal) rely on the 0700 directory. */
  private static void assertLeaFilesOwnerOnly(List<Path> files) throws Exception {
    for (Path file : files) {
      if (!file.getFileName().toString().endsWith(".wal")) {
        assertThat(Files.getPosixFilePermissions(file)).as(file.toString()).isEqualTo(FILE);
      }
    }
  }

  private static void assertTreeOwnerOnly(Path root) throws Exception {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.toList()) {
        assertThat(Files.getPosixFilePermissions(p)).as(p.toString())
            .isEqualTo(Files.isDirectory(p) ? DIRECTORY : FILE);
      }
    }
  }

  private static List<Path> list(Path directory) throws Exception {
    try (Stream<Path> all = Files.list(directory)) {
      return all.toList();
    }
  }

  private static List<Path> walk(Path root) throws Exception {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }
}
