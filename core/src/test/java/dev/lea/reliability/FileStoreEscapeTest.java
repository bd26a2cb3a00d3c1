package dev.lea.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.spi.LeaException;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code file:} store keeps every key inside its root: {@code ..}, absolute and backslash keys
 * are refused, and so is any read or write through a symbolic link that leads out of the root.
 * Odd but legal keys round-trip exactly.
 */
class FileStoreEscapeTest {

  @TempDir Path dir;
  private Path root;
  private Path outside;
  private ObjectStore store;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(dir.resolve("root"));
    outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "outside the root");
    store = ObjectStores.file(root);
  }

  private static ByteArrayInputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"../outside/secret.txt", "a/../../outside/secret.txt", "/etc/passwd",
      "a//b", "./a", "a/.", "..", "a\\..\\..\\x", "a/\u0000b"})
  void keysThatCouldEscapeAreRefusedForEveryOperation(String key) {
    for (ThrowingCall call : List.<ThrowingCall>of(
        () -> store.head(key),
        () -> store.read(key, null).close(),
        () -> store.put(key, bytes("x"), 1, Map.of(), Condition.none()),
        () -> store.delete(key, Condition.none()))) {
      assertThatThrownBy(call::run).isInstanceOf(LeaException.class)
          .hasMessageStartingWith("Cannot ").hasMessageContaining(key);
    }
    assertThat(outside.resolve("secret.txt")).hasContent("outside the root");
    assertThat(outside.toFile().list()).containsExactly("secret.txt");
  }

  @Test
  void aSymlinkedDirectoryLeadingOutIsRefusedForWritesAndReads() throws IOException {
    Files.createSymbolicLink(root.resolve("link"), outside);

    assertThatThrownBy(() -> store.put("link/new.txt", bytes("x"), 1, Map.of(),
        Condition.none()))
        .isInstanceOf(LeaException.class).hasMessageContaining("Cannot use key 'link/new.txt'")
        .hasMessageContaining("link to outside the store's directory");
    assertThat(outside.resolve("new.txt")).doesNotExist();
    assertThatThrownBy(() -> store.delete("link/secret.txt", Condition.none()))
        .isInstanceOf(LeaException.class).hasMessageContaining("outside the store's directory");
    assertThat(outside.resolve("secret.txt")).exists();
    assertThatThrownBy(() -> {
      try (ReadResult read = store.read("link/secret.txt", null)) {
        read.status();
      }
    }).isInstanceOf(LeaException.class).hasMessageContaining("outside the store's directory");
    assertThatThrownBy(() -> store.head("link/secret.txt"))
        .isInstanceOf(LeaException.class).hasMessageContaining("outside the store's directory");
  }

  @Test
  void aSymlinkedFileLeadingOutIsNotReadAndAWriteReplacesOnlyTheLink() throws IOException {
    Files.createSymbolicLink(root.resolve("catalog.sqlite"), outside.resolve("secret.txt"));

    assertThatThrownBy(() -> {
      try (ReadResult read = store.read("catalog.sqlite", null)) {
        read.content().readAllBytes();
      }
    }).isInstanceOf(LeaException.class).hasMessageContaining("outside the store's directory");
    assertThatThrownBy(() -> store.head("catalog.sqlite"))
        .isInstanceOf(LeaException.class).hasMessageContaining("outside the store's directory");
    // The atomic move replaces the link itself; the file it pointed to is untouched.
    store.put("catalog.sqlite", bytes("new"), 3, Map.of(), Condition.none());
    assertThat(root.resolve("catalog.sqlite")).isRegularFile();
    assertThat(Files.isSymbolicLink(root.resolve("catalog.sqlite"))).isFalse();
    assertThat(outside.resolve("secret.txt")).hasContent("outside the root");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"caf\u00e9/\u65e5\u672c.sqlite", "a b/c+d;e'f\"g", "x..y/...",
      ".hidden/-dash", "emoji-\ud83e\udd86.duckdb"})
  void oddButLegalKeysRoundTripExactly(String key) throws IOException {
    ObjectInfo written = store.put(key, bytes("body of " + key), -1, Map.of("k", "v"),
        Condition.ifAbsent());
    assertThat(written.key()).isEqualTo(key);
    try (ReadResult read = store.read(key, null)) {
      assertThat(new String(read.content().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("body of " + key);
      assertThat(read.info().metadata()).containsEntry("k", "v");
    }
    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly(key);
    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.filter(Files::isRegularFile).filter(p -> !p.startsWith(root))
          .toList()).containsExactly(outside.resolve("secret.txt"));
    }
  }

  @Test
  void aKeySegmentLongerThanTheFileSystemAllowsFailsAsAnIoErrorAndLeavesNoFile()
      throws IOException {
    String key = "lake/" + "k".repeat(300);
    assertThatThrownBy(() -> store.put(key, bytes("x"), 1, Map.of(), Condition.none()))
        .isInstanceOf(IOException.class).hasMessageContaining("File name too long");
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.filter(Files::isRegularFile)
          .filter(p -> !p.startsWith(root.resolve(".lea-locks"))).toList()).isEmpty();
    }
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }
}
