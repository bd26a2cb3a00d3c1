package dev.lea.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer of the file store SIGKILLed at the points that matter (a real child JVM,
 * {@link FileStoreRacer}): between the sidecar and the data rename, a reader sees the old object,
 * bytes and metadata together; in the middle of the bytes, its temporary file is removed by the
 * next write into that directory once the writer is gone (issue 17 item 8), but not while it lives.
 */
class FileObjectStoreCrashIT {

  @TempDir
  Path root;

  private Process process;
  private PrintWriter commands;
  private BufferedReader answers;

  private void startChild() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        FileStoreRacer.class.getName(), root.toString(), "child")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    answers = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    assertThat(answers.readLine()).isEqualTo("READY");
  }

  private void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the child died").isTrue();
  }

  @AfterEach
  void killChild() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }

  @Test
  void killedBetweenMetadataAndDataLeavesTheOldObjectWhole() throws Exception {
    ObjectInfo old;
    try (FileObjectStore store = new FileObjectStore(root)) {
      old = put(store, "lake/c.duckdb", "old bytes", Map.of("writer", "parent"),
          Condition.ifAbsent());
    }
    startChild();

    commands.println("pause lake/c.duckdb " + old.version());
    assertThat(answers.readLine()).isEqualTo("BETWEEN");
    try (FileObjectStore reader = new FileObjectStore(root)) {
      assertThat(reader.head("lake/c.duckdb")).contains(old);
      assertThat(read(reader, "lake/c.duckdb")).isEqualTo("old bytes");
    }
    kill();

    try (FileObjectStore next = new FileObjectStore(root)) {
      assertThat(next.head("lake/c.duckdb")).contains(old);
      try (ReadResult result = next.read("lake/c.duckdb", null)) {
        assertThat(result.info()).isEqualTo(old);
        assertThat(new String(result.content().readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("old bytes");
      }
      ObjectInfo after = put(next, "lake/c.duckdb", "after", Map.of("writer", "next"),
          Condition.ifMatch(old.version()));
      assertThat(next.head("lake/c.duckdb")).contains(after);
      assertThat(read(next, "lake/c.duckdb")).isEqualTo("after");
    }
    assertThat(temporaryFiles(root.resolve("lake"))).isEmpty();
  }

  @Test
  void aKilledWritersTemporaryFileIsRemovedByTheNextWrite() throws Exception {
    startChild();

    commands.println("hang lake/c.duckdb");
    assertThat(answers.readLine()).isEqualTo("WRITING");
    List<Path> left = temporaryFiles(root.resolve("lake"));
    assertThat(left).hasSize(1);
    try (FileObjectStore whileAlive = new FileObjectStore(root)) {
      put(whileAlive, "lake/other", "x", Map.of(), Condition.none());
    }
    assertThat(temporaryFiles(root.resolve("lake"))).as("a live writer's file").isEqualTo(left);
    kill();

    try (FileObjectStore next = new FileObjectStore(root)) {
      put(next, "lake/other", "y", Map.of(), Condition.none());
    }

    assertThat(temporaryFiles(root.resolve("lake"))).isEmpty();
    assertThat(Files.exists(root.resolve("lake/c.duckdb"))).isFalse();
  }

  private static List<Path> temporaryFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().startsWith(".lea-tmp-")).toList();
    }
  }

  private static ObjectInfo put(FileObjectStore store, String key, String content,
      Map<String, String> metadata, Condition condition) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return store.put(key, new ByteArrayInputStream(bytes), bytes.length, metadata, condition);
  }

  private static String read(FileObjectStore store, String key) throws IOException {
    try (ReadResult result = store.read(key, null)) {
      return new String(result.content().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
