package dev.lea.testing;

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
 * A Java main class in its own JVM, on this JVM's class path: stdout lines are queued as they
 * arrive (and kept for scanning), stdin lines drive it, stderr goes to a file or to this JVM's.
 * Always {@link #close()} it: that kills the process if it is still running.
 */
public final class ChildJvm implements AutoCloseable {

  private static final long TIMEOUT_SECONDS = 120;

  public final String label;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final Writer stdin;
  private final Thread reader;

  private ChildJvm(String label, Process process) {
    this.label = label;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.reader = new Thread(() -> {
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

  /**
   * Starts {@code mainClass} with {@code arguments}, {@code -D} system properties and a small
   * heap; its stderr is appended to {@code stderr}, or goes to this JVM's when that is null.
   */
  public static ChildJvm start(String label, Class<?> mainClass, List<String> arguments,
      Map<String, String> systemProperties, Path stderr) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
    systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(arguments);
    Process process = new ProcessBuilder(command)
        .redirectError(stderr == null ? ProcessBuilder.Redirect.INHERIT
            : ProcessBuilder.Redirect.appendTo(stderr.toFile()))
        .start();
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

  /** Waits for the process to end and for its last stdout line; answers the exit code. */
  public int exit() throws InterruptedException {
    assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        .as("%s exited", label).isTrue();
    reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no finally block runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s died", label).isTrue();
  }

  public long pid() {
    return process.pid();
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
