package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ReliabilityChild} in its own JVM: stdout lines are queued as they arrive (and kept for
 * scanning), stdin lines drive it, stderr goes to a file. Always {@link #close()} it: that kills
 * the process if it is still running. Public so that the store modules run the same child against
 * their own catalogs (their test classpath carries core's test jar).
 */
public final class ChildJvm implements AutoCloseable {

  static final long TIMEOUT_SECONDS = 120;

  public final String label;
  final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final Writer stdin;

  private ChildJvm(String label, Process process) {
    this.label = label;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(
          process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          seen.add(line);
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

  /** Starts a child with {@code -D} properties and lea settings (by property name). */
  public static ChildJvm start(String label, Path projectDir, Path stderr,
      Map<String, String> systemProperties, Map<String, String> settings) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
    systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        ReliabilityChild.class.getName(), label, projectDir.toString()));
    settings.forEach((k, v) -> command.add(k + "=" + v));
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
    return new ChildJvm(label, process);
  }

  /** Waits for a line starting with {@code prefix}; fails on EOF or timeout. */
  public String await(String prefix) throws InterruptedException {
    while (true) {
      String line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(line).as("%s printed a line starting with %s", label, prefix).isNotNull();
      assertThat(line).as("%s ended before printing %s (output: %s)", label, prefix, seen)
          .isNotEqualTo("EOF");
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Waits for the first line starting with one of {@code prefixes}; answers that line. */
  public String awaitAny(String... prefixes) throws InterruptedException {
    while (true) {
      String line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(line).as("%s printed a line", label).isNotNull();
      assertThat(line).as("%s ended early (output: %s)", label, seen).isNotEqualTo("EOF");
      for (String prefix : prefixes) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }
  }

  public void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  public int exit() throws InterruptedException {
    assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .as("%s exited", label).isTrue();
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no finally block runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s died", label).isTrue();
  }

  /** Every stdout line so far. */
  public List<String> output() {
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
