package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** A part's CRC32C is handed on only for a stream read to its end, as the SDK sends a part. */
class Crc32cStreamTest {

  private final byte[] bytes = new byte[300_001];
  private final AtomicReference<String> reported = new AtomicReference<>();

  Crc32cStreamTest() {
    new Random(5).nextBytes(bytes);
  }

  @Test
  void aStreamReadToItsEndReportsItsCrc32c() throws IOException {
    try (InputStream in = stream()) {
      in.read();
      in.readAllBytes();
    }

    assertThat(reported.get()).isEqualTo(crc32c(bytes));
  }

  @Test
  void aStreamReadInPartReportsNothing() throws IOException {
    try (InputStream in = stream()) {
      in.readNBytes(bytes.length - 1);
    }

    assertThat(reported.get()).isNull();
  }

  @Test
  void anEmptyPartReportsTheEmptyCrc32c() {
    new Crc32cStream(new ByteArrayInputStream(new byte[0]), 0, reported::set);

    assertThat(reported.get()).isEqualTo(crc32c(new byte[0]));
  }

  private InputStream stream() {
    return new Crc32cStream(new ByteArrayInputStream(bytes), bytes.length, reported::set);
  }

  private static String crc32c(byte[] content) {
    CRC32C crc = new CRC32C();
    crc.update(content);
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array());
  }
}
