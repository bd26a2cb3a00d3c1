package dev.lea.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16: a file copied by the kernel, its CRC32C computed from the copy; sizes on both sides
 * of the point where a second thread takes over the checksum (16 MiB).
 */
class CheckedCopyTest {

  private static final int MIB = 1 << 20;

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, MIB + 7, 40 * MIB + 3})
  void copiesFromAPositionToTheEndWithTheChecksumOfWhatLanded(int size) throws IOException {
    byte[] bytes = new byte[size + 12];
    new Random(size).nextBytes(bytes);
    Path source = Files.write(dir.resolve("source"), bytes);
    Path target = dir.resolve("target");
    CRC32C crc = new CRC32C();
    AtomicLong reported = new AtomicLong();
    List<Long> steps = new ArrayList<>();

    long copied;
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      out.write(ByteBuffer.wrap(new byte[] {9, 9, 9}));
      copied = CheckedCopy.transfer(in, 12, out, crc::update, n -> {
        reported.addAndGet(n);
        steps.add(n);
      });
    }

    byte[] expected = Arrays.copyOfRange(bytes, 12, bytes.length);
    CRC32C direct = new CRC32C();
    direct.update(expected);
    assertThat(copied).isEqualTo(size);
    assertThat(reported.get()).isEqualTo(size);
    assertThat(steps).allSatisfy(step -> assertThat(step).isBetween(1L, (long) MIB));
    assertThat(crc.getValue()).isEqualTo(direct.getValue());
    byte[] written = Files.readAllBytes(target);
    assertThat(Arrays.copyOfRange(written, 0, 3)).containsExactly(9, 9, 9);
    assertThat(Arrays.mismatch(Arrays.copyOfRange(written, 3, written.length), expected))
        .isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(ints = {MIB, 40 * MIB})
  void aFailingChecksumFailsTheCopy(int size) throws IOException {
    Path source = Files.write(dir.resolve("source"), new byte[size]);
    Path target = dir.resolve("target");

    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      assertThatThrownBy(() -> CheckedCopy.transfer(in, 0, out, bytes -> {
        throw new IllegalStateException("checksum broke");
      }, n -> { }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("checksum broke");
    }
  }

  @Test
  void aCopyThatCannotWriteFailsAndStopsTheChecksum() throws IOException {
    Path source = Files.write(dir.resolve("source"), new byte[40 * MIB]);
    Path target = Files.createFile(dir.resolve("target"));

    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel readOnly = FileChannel.open(target, StandardOpenOption.READ)) {
      assertThatThrownBy(() -> CheckedCopy.transfer(in, 0, readOnly, bytes -> { }, n -> { }))
          .isInstanceOf(java.nio.channels.NonWritableChannelException.class);
    }
  }
}
