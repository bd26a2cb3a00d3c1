package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lea.Lea;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real JVMs run sessions against one file: catalog; the lock and the fence keep them apart. */
class SessionProcessIT {

  private static final long TIMEOUT_SECONDS = 60;

  @TempDir Path dir;
  private final List<Child> children = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    children.forEach(c -> c.process.destroyForcibly());
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
    Child first = start("first", settings("lock-file"));
    first.await("OPENED");
    Child second = start("second", settings("lock-file"));
    second.await("INFO Waiting up to");
    first.proceed();
    first.await("COMMITTED");
    assertThat(first.exit()).isZero();
    second.await("OPENED");
    second.proceed();
    second.await("COMMITTED");
    assertThat(second.exit()).isZero();

    assertThat(rows()).containsExactly("first:0", "second:1");
  }

  @Test
  void conditionalWriteRefusesTheLoserAndKeepsTheWinnerIntact() throws Exception {
    Child first = start("first", settings("conditional-write"));
    Child second = start("second", settings("conditional-write"));
    first.await("OPENED");
    second.await("OPENED");
    first.proceed();
    first.await("COMMITTED");
    assertThat(first.exit()).isZero();
    second.proceed();
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

  /**
   * Issue 17 item 3, as found: holder A is stopped (SIGSTOP) past its TTL, B takes the lock over,
   * A resumes while B runs. A must not upload (before, it did, and B then failed with advice to
   * use the lock-file lock it was using); A says who took its lock; B commits.
   */
  @Test
  void aRunPausedPastItsTtlNeverUploadsOverTheNewHolder() throws Exception {
    Map<String, String> shortLock = new java.util.HashMap<>(settings("lock-file"));
    shortLock.put(LeaSettings.LOCK_TTL, "PT2S");
    Child paused = start("paused", shortLock);
    paused.await("OPENED");
    signal("STOP", paused);
    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote())
        .with(LeaSettings.LOCK_WAIT, "PT60S")
        .with(LeaSettings.CACHE_ENABLED, "false")
        .with(LeaSettings.WORK_DIR, dir.resolve("holder-work").toString());
    try (CatalogSession holder = CatalogSync.open(config)) {
      signal("CONT", paused);
      paused.proceed();
      String refused = paused.await("CONFLICT");
      assertThat(paused.exit()).isEqualTo(3);
      assertThat(refused).contains("this run lost its lock: it was taken over by ")
          .contains("run " + holder.runId()).contains("Nothing was uploaded").contains("kept at ");

      try (Statement s = holder.connection().createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS runs (label VARCHAR, seen BIGINT)");
        s.execute("INSERT INTO runs VALUES ('holder', 0)");
      }
      assertThat(holder.commit().outcome()).isEqualTo(SyncResult.Outcome.UPLOADED);
    }
    assertThat(rows()).containsExactly("holder:0");
  }

  /**
   * Issue 17 item 4: the final CHECKPOINT fails (here: a file-size limit set with {@code
   * prlimit}, standing in for a full disk, which DuckDB sees as the same failed write). The catalog and its
   * write-ahead log are kept, their path printed, and DuckDB recovers the run's rows from them.
   */
  @Test
  void aCheckpointThatFailsKeepsTheCatalogWithItsLog() throws Exception {
    LeaConfig seedConfig = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote())
        .with(LeaSettings.CACHE_ENABLED, "false")
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    try (CatalogSession session = CatalogSync.open(seedConfig);
        Statement s = session.connection().createStatement()) {
      s.execute("CREATE TABLE runs AS SELECT 'seed' AS label, 0::BIGINT AS seen");
      s.execute("CREATE TABLE filler AS SELECT range AS i, md5(range::VARCHAR) AS h"
          + " FROM range(500000)");
      session.commit();
    }
    byte[] before = Files.readAllBytes(remote());

    Child limited = start(List.of("-Dlea.test.rows=100000"), "limited", Map.of(
        LeaSettings.DUCKDB_PATH, "file:" + remote(),
        LeaSettings.CACHE_ENABLED, "false",
        LeaSettings.CACHE_DIR, dir.resolve("cache").toString(),
        LeaSettings.WORK_DIR, dir.resolve("work").toString()));
    limited.await("OPENED");
    // Set once the catalog is downloaded and DuckDB loaded (its library is unpacked to a file):
    // room for the child's write-ahead log (fewer rows than a row group, so DuckDB logs them
    // rather than writing them to the database file), none for the checkpoint that follows.
    long limit = before.length + 512 * 1024;
    try {
      Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(
          limited.process.pid()), "--fsize=" + limit + ":" + limit).inheritIO().start();
      assertThat(prlimit.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(prlimit.exitValue()).isZero();
    } catch (IOException e) {
      org.junit.jupiter.api.Assumptions.abort("prlimit (util-linux) is needed to limit the"
          + " child's file size: " + e.getMessage());
    }
    limited.proceed();
    String failed = limited.await("CONFLICT");
    assertThat(limited.exit()).isEqualTo(3);

    assertThat(failed).contains("Cannot close the catalog cleanly: ")
        .contains("failure policy (upload-always)").contains("kept at ");
    assertThat(Files.readAllBytes(remote())).isEqualTo(before);
    String kept = failed.substring(failed.indexOf("kept at ") + "kept at ".length());
    Path catalog = Path.of(kept.substring(0, kept.indexOf(';')));
    assertThat(catalog).as("kept in the test's own cache directory, not the user's")
        .startsWithRaw(dir.resolve("cache").resolve("kept")).isRegularFile();
    assertThat(Path.of(catalog + ".wal")).isRegularFile();
    try (java.sql.Connection duckdb = java.sql.DriverManager.getConnection("jdbc:duckdb:"
        + catalog); Statement s = duckdb.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM bulk_limited")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(100000);
    }
  }

  /**
   * Issue 17 item 8: a run killed with SIGKILL leaves its {@code lea-session-*} folder; the next
   * run removes it, but not the folder of a run that is still alive.
   */
  @Test
  void theNextRunRemovesTheFolderOfAKilledRunButNotOfALiveOne() throws Exception {
    Child killed = start("killed", settings("none"));
    killed.await("OPENED");
    String killedStart = killed.process.info().startInstant().orElseThrow().toString();
    killed.process.destroyForcibly();
    assertThat(killed.process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    List<Path> leftovers = sessionFolders();
    assertThat(leftovers).hasSize(1);
    // Issue 18: lea:status names the killed run's folder and its process, and not the live one's.
    LeaConfig statusConfig = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote())
        .with(LeaSettings.PRODUCTION, "true")
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    assertThat(Lea.status(statusConfig)).contains("Leftovers of earlier runs on this machine:")
        .contains("  " + leftovers.get(0) + ": left by a run that ended without cleaning up (pid "
            + killed.process.pid() + ", started " + killedStart + "); the next run removes it.");
    Child alive = start("alive", settings("none"));
    alive.await("OPENED");
    List<Path> aliveFolders = new ArrayList<>(sessionFolders());
    aliveFolders.removeAll(leftovers);
    assertThat(String.join("\n", Lea.status(statusConfig)))
        .doesNotContain(aliveFolders.get(0).toString());

    LeaConfig config = LeaConfig.defaults(dir)
        .with(LeaSettings.DUCKDB_PATH, "file:" + remote())
        .with(LeaSettings.LOCK, "none")
        .with(LeaSettings.CACHE_ENABLED, "false")
        .with(LeaSettings.WORK_DIR, dir.resolve("work").toString());
    try (CatalogSession session = CatalogSync.open(config)) {
      session.commit();
    }

    assertThat(leftovers.get(0)).doesNotExist();
    assertThat(aliveFolders).hasSize(1).allMatch(Files::isDirectory);
    alive.proceed();
    alive.await("COMMITTED");
    assertThat(alive.exit()).isZero();
    assertThat(sessionFolders()).isEmpty();
  }

  private List<Path> sessionFolders() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("work"))) {
      return files.filter(p -> p.getFileName().toString().startsWith("lea-session-")).toList();
    }
  }

  private static void signal(String signal, Child child) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.process.pid()))
        .inheritIO().start();
    assertThat(kill.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
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

  private Child start(String label, Map<String, String> settings) throws IOException {
    return start(List.of(), label, settings);
  }

  private Child start(List<String> jvmOptions, String label, Map<String, String> settings)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        SessionChild.class.getName(), label, dir.toString()));
    settings.forEach((k, v) -> command.add(k + "=" + v));
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Child child = new Child(label, process);
    children.add(child);
    return child;
  }

  /** A child JVM whose stdout lines are queued as they arrive. */
  private static final class Child {
    final String label;
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final Writer stdin;

    Child(String label, Process process) {
      this.label = label;
      this.process = process;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
          }
        } catch (IOException ignored) {
          // The process ended; exit() reports how.
        }
        lines.add("EOF");
      }, "child-" + label);
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits for a line starting with {@code prefix}; fails on EOF or timeout. */
    String await(String prefix) throws InterruptedException {
      while (true) {
        String line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(line).as("%s printed a line starting with %s", label, prefix).isNotNull();
        assertThat(line).as("%s ended before printing %s", label, prefix).isNotEqualTo("EOF");
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }

    void proceed() throws IOException {
      stdin.write("go\n");
      stdin.flush();
    }

    int exit() throws InterruptedException {
      assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
      return process.exitValue();
    }
  }
}
