package dev.lea.maven;

import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import dev.lea.testing.SqlRows;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.duckdb.DuckDBDriver;

/**
 * What the invoker ITs' hook scripts (src/it/&#42;/setup.groovy and verify.groovy) share: they run
 * in the invoker's JVM with this module's test classpath, so one piece of code serves them all.
 */
public final class InvokerProject {

  private final Path basedir;

  private InvokerProject(Path basedir) {
    this.basedir = basedir;
  }

  /** The IT project the invoker cloned to {@code basedir}. */
  public static InvokerProject at(File basedir) {
    return new InvokerProject(basedir.toPath());
  }

  /**
   * Copies in the lea project several ITs run (src/test/resources/it/{@code name}); a file the IT
   * has itself is kept, so an IT differs from the shared project only where it says so.
   */
  public InvokerProject copy(String name) throws IOException, URISyntaxException {
    Path source = Path.of(InvokerProject.class.getResource("/it/" + name).toURI());
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = basedir.resolve(source.relativize(file).toString());
        if (!Files.exists(target)) {
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
        }
      }
    }
    return this;
  }

  /**
   * The text of a hook script several ITs share (src/test/resources/it/{@code name}), for a hook
   * to {@code evaluate}: it sees the hook's variables ({@code basedir}, {@code context}, and what
   * the hook set before).
   */
  public static String script(String name) throws IOException {
    try (InputStream in = InvokerProject.class.getResourceAsStream("/it/" + name)) {
      if (in == null) {
        throw new IOException("No shared hook script " + name + " on the test class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public String log() throws IOException {
    return Files.readString(basedir.resolve("build.log"));
  }

  /** The {@code file:target/bucket} the ITs without a server keep their catalog in. */
  public ObjectStore localBucket() {
    return ObjectStores.file(basedir.resolve("target/bucket"));
  }

  /**
   * Two {@code lea:run}s of the shop: the first started a fresh catalog, the second reused the one
   * the first uploaded and ran every script again (lea reruns after a success), from a cache under
   * the project's target (never ~/.cache/lea).
   */
  public void assertFreshThenRerun() throws IOException {
    String log = log();
    int fresh = log.indexOf("yet; starting a fresh one.");
    int reused = log.indexOf("unchanged since the last run; using the cached copy");
    int rerun = log.lastIndexOf("Running 8 of 8: ");
    check(fresh >= 0, "the first run did not start a fresh catalog");
    check(reused > fresh, "the second run did not reuse the catalog the first one uploaded");
    check(rerun > reused,
        "the second run did not run every script again (lea reruns after a success)");
    check(Pattern.compile("staging\\.orders\\s+table\\s+published").matcher(log.substring(rerun))
        .find(),
        "the second run did not publish staging.orders");
    check(Files.isDirectory(basedir.resolve("target/lea-cache")),
        "the cache is not under the project's target");
  }

  /**
   * The rows {@code sql} returns from the DuckDB catalog at {@code key} in {@code store}, read
   * through the store into target/published.duckdb; each row a list of JDBC objects.
   */
  public List<List<Object>> catalogRows(ObjectStore store, String key, String sql)
      throws IOException, SQLException {
    Path copy = basedir.resolve("target/published.duckdb");
    try (ReadResult read = store.read(key, null)) {
      Files.copy(read.content(), copy, StandardCopyOption.REPLACE_EXISTING);
    }
    // The driver itself, not DriverManager: the invoker's script class loader is not the one
    // DriverManager found drivers with.
    try (Connection connection =
        new DuckDBDriver().connect("jdbc:duckdb:" + copy, new Properties())) {
      return SqlRows.of(connection, sql);
    }
  }

  /**
   * Another machine's live lock on {@code catalogKey} in the local bucket, written through lea's
   * file store with the lock body of SPEC §3, so the test does not depend on the store's on-disk
   * format.
   */
  public void holdLock(String catalogKey) throws IOException {
    Instant now = Instant.now();
    byte[] body = ("{\"id\":\"it-held-lock\",\"who\":\"ci@build-agent\",\"pid\":4242,"
        + "\"operation\":\"run\",\n\"created\":\"" + now + "\",\"expires\":\""
        + now.plusSeconds(3600) + "\",\"version\":\"0.1.0\"}").getBytes(StandardCharsets.UTF_8);
    try (ObjectStore store = localBucket()) {
      store.put(".lea/locks/" + catalogKey + ".lock", new ByteArrayInputStream(body), body.length,
          Map.of(), Condition.ifAbsent());
    }
  }

  private static void check(boolean condition, String failure) {
    if (!condition) {
      throw new AssertionError(failure);
    }
  }
}
