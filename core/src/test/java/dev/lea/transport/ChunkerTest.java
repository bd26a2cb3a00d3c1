package dev.lea.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.internal.LocalFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkerTest {

  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;

  @Test
  void insertNearTheStartLeavesMostChunksUnchanged() throws IOException {
    byte[] original = random(16 * MIB, 7);
    byte[] inserted = new byte[original.length + 100];
    System.arraycopy(original, 0, inserted, 0, 5000);
    byte[] insert = new byte[100];
    new Random(8).nextBytes(insert);
    System.arraycopy(insert, 0, inserted, 5000, insert.length);
    System.arraycopy(original, 5000, inserted, 5100, original.length - 5000);
    Chunker chunker = new Chunker();

    List<Chunker.Chunk> before = chunker.chunks(write("before", original));
    List<Chunker.Chunk> after = chunker.chunks(write("after", inserted));

    Set<String> kept = shas(before);
    kept.retainAll(shas(after));
    assertThat(before).hasSizeGreaterThanOrEqualTo(8);
    assertThat(kept).as("chunks of the original still present after the insert")
        .hasSizeGreaterThanOrEqualTo(before.size() - 2);
    assertThat(after.get(after.size() - 1).sha256())
        .isEqualTo(before.get(before.size() - 1).sha256());
  }

  @Test
  void chunksCoverTheFileWithinTheSizeLimits() throws IOException {
    byte[] bytes = random(16 * MIB + 12345, 3);
    Path file = write("file", bytes);

    List<Chunker.Chunk> chunks = new Chunker().chunks(file);

    long position = 0;
    for (int i = 0; i < chunks.size(); i++) {
      Chunker.Chunk chunk = chunks.get(i);
      assertThat(chunk.position()).isEqualTo(position);
      assertThat(chunk.length()).isLessThanOrEqualTo(Chunker.DEFAULT_MAX);
      if (i < chunks.size() - 1) {
        assertThat(chunk.length()).isGreaterThanOrEqualTo(Chunker.DEFAULT_MIN);
      }
      position += chunk.length();
    }
    assertThat(position).isEqualTo(bytes.length);
    double average = (double) bytes.length / chunks.size();
    assertThat(average).as("average chunk size")
        .isBetween(0.75 * Chunker.DEFAULT_AVERAGE, 1.5 * Chunker.DEFAULT_AVERAGE);
  }

  @Test
  void repetitiveInputIsCutAtTheMaximum() throws IOException {
    Path file = write("zeros", new byte[10 * 4096 + 17]);

    List<Chunker.Chunk> chunks = new Chunker(256, 1024, 4096).chunks(file);

    assertThat(chunks).hasSize(11);
    assertThat(chunks.subList(0, 10)).allSatisfy(c -> assertThat(c.length()).isEqualTo(4096));
    assertThat(chunks.get(10).length()).isEqualTo(17);
    assertThat(chunks.get(0).sha256()).isEqualTo(chunks.get(9).sha256());
  }

  @Test
  void emptyAndTinyFiles() throws IOException {
    Chunker chunker = new Chunker(256, 1024, 4096);

    assertThat(chunker.chunks(write("empty", new byte[0]))).isEmpty();
    Path one = write("one", new byte[] {42});
    assertThat(chunker.chunks(one)).containsExactly(
        new Chunker.Chunk(0, 1, LocalFiles.sha256(one)));
  }

  @Test
  void sizesMustBeOrdered() {
    assertThatThrownBy(() -> new Chunker(1024, 1024, 4096))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Chunk sizes must satisfy 64 <= min < average < max <= 1073741823; got min"
            + " 1024, average 1024, max 4096");
  }

  private static Set<String> shas(List<Chunker.Chunk> chunks) {
    Set<String> shas = new HashSet<>();
    chunks.forEach(c -> shas.add(c.sha256()));
    return shas;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(bytes);
    }
    return file;
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
