package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;

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
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
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
