package dev.lea.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conditional writes of the file store race across real JVMs: several child processes
 * ({@link FileStoreRacer}) write the same key at once, and exactly one wins each round.
 */
class FileObjectStoreProcessIT {

  private static final int CHILDREN = 5;
  private static final int ROUNDS = 20;

  @TempDir
  Path root;

  private final List<Child> children = new ArrayList<>();

  private record Child(Process process, PrintWriter commands, BufferedReader answers) {}

  @BeforeEach
  void startChildren() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < CHILDREN; i++) {
      Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"),
          FileStoreRacer.class.getName(), root.toString(), "child-" + i)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      children.add(new Child(process,
          new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8),
          new BufferedReader(new InputStreamReader(process.getInputStream(),
              StandardCharsets.UTF_8))));
    }
    for (Child child : children) {
      assertThat(child.answers().readLine()).isEqualTo("READY");
    }
  }

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Child child : children) {
      child.commands().println("exit");
    }
    for (Child child : children) {
      if (!child.process().waitFor(30, TimeUnit.SECONDS)) {
        child.process().destroyForcibly();
      }
    }
  }

  @Test
  void exactlyOneProcessWinsEachIfAbsentRace() throws IOException {
    try (FileObjectStore store = new FileObjectStore(root)) {
      for (int round = 0; round < ROUNDS; round++) {
        String key = "lake/absent-" + round + ".lock";

        List<String> answers = race("absent " + key);

        assertThat(answers).as("round %d", round).containsOnlyOnce("WON")
            .containsOnly("WON", "LOST");
        assertThat(read(store, key)).isEqualTo("child-" + answers.indexOf("WON"));
      }
    }
  }

  @Test
  void exactlyOneProcessWinsEachIfMatchRace() throws IOException {
    try (FileObjectStore store = new FileObjectStore(root)) {
      byte[] base = "base".getBytes(StandardCharsets.UTF_8);
      String version = store.put("lake/catalog.sqlite", new ByteArrayInputStream(base),
          base.length, Map.of(), Condition.none()).version();
      for (int round = 0; round < ROUNDS; round++) {
        List<String> answers = race("match lake/catalog.sqlite " + version);

        assertThat(answers).as("round %d", round).containsOnlyOnce("WON")
            .containsOnly("WON", "LOST");
        assertThat(read(store, "lake/catalog.sqlite"))
            .isEqualTo("child-" + answers.indexOf("WON"));
        version = store.head("lake/catalog.sqlite").orElseThrow().version();
      }
    }
  }

  /** Sends one command to every child at once; answers in child order. */
  private List<String> race(String command) throws IOException {
    for (Child child : children) {
      child.commands().println(command);
    }
    List<String> answers = new ArrayList<>();
    for (Child child : children) {
      answers.add(child.answers().readLine());
    }
    return answers;
  }

  private static String read(FileObjectStore store, String key) throws IOException {
    try (ReadResult result = store.read(key, null)) {
      return new String(result.content().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
