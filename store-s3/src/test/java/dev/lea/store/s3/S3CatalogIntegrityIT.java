package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ReadResult;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogIntegrityException;
import dev.lea.transport.CatalogMetadata;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import dev.lea.transport.Download;
import dev.lea.transport.TransportOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 16, one integrity pass, on a server that keeps no checksum of its own (S3Proxy 4.1.0
 * answers no {@code x-amz-checksum-*}): object-copy records the catalog's CRC32C instead of a
 * SHA-256, computes no SHA-256 on either side, and a download whose bytes do not match the record
 * is refused. Sizes below and above the single-PUT limit (one PutObject; parts from the file).
 */
class S3CatalogIntegrityIT {

  private static final String BUCKET = "integrity";

  @RegisterExtension
  static final S3ProxyBucket PROXY = new S3ProxyBucket(BUCKET);

  @TempDir
  Path dir;

  private static S3ObjectStore store() {
    return PROXY.newSmallPartStore();
  }

  private CatalogTransport transport(String compression) {
    return CatalogTransports.named("object-copy").withOptions(TransportOptions.of(
        LeaConfig.defaults(dir).with(LeaSettings.COMPRESSION, compression)));
  }

  private Path catalog(int size) throws IOException {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Files.write(dir.resolve("c-" + size + ".duckdb"), bytes);
  }

  @ParameterizedTest(name = "{0} bytes, {1}")
  @CsvSource({"1048576, none", "11534349, none", "11534349, zstd"})
  void recordsTheCatalogsCrc32cAndVerifiesItWithoutASha256(int size, String compression)
      throws IOException {
    Path source = catalog(size);
    String key = "c-" + size + "-" + compression + ".duckdb";
    Path target = dir.resolve("downloaded.duckdb");
    try (S3ObjectStore store = store()) {
      assertThat(store.supports(Capability.CRC32C)).isFalse();

      ObjectInfo uploaded = transport(compression).upload(store, key, source,
          new CatalogFile(null, size, "duckdb"), Condition.ifAbsent());
      Download download = transport(compression).download(store, key, target, null);

      assertThat(uploaded.metadata())
          .containsEntry(CatalogMetadata.CRC32C, crc32c(Files.readAllBytes(source)))
          .doesNotContainKey(CatalogMetadata.SHA256);
      assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
      assertThat(download.crc32c()).isEqualTo(crc32c(Files.readAllBytes(source)));
      assertThat(download.sha256()).isNull();
      assertThat(Files.mismatch(source, target)).as("first differing byte").isEqualTo(-1L);
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @CsvSource({"1048576", "11534349"})
  void refusesBytesThatDoNotMatchTheRecordedCrc32cAndKeepsTheLocalCopy(int size)
      throws IOException {
    Path source = catalog(size);
    String key = "flipped-" + size + ".duckdb";
    byte[] previous = "previous".getBytes(StandardCharsets.UTF_8);
    Path target = Files.write(dir.resolve("target.duckdb"), previous);
    try (S3ObjectStore store = store()) {
      ObjectInfo uploaded = transport("none").upload(store, key, source,
          new CatalogFile(null, size, "duckdb"), Condition.ifAbsent());
      byte[] flipped = Files.readAllBytes(source);
      flipped[size / 2] ^= 0x10;
      store.put(key, new ByteArrayInputStream(flipped), flipped.length, uploaded.metadata(),
          Condition.none());

      assertThatThrownBy(() -> transport("none").download(store, key, target, null))
          .isInstanceOf(CatalogIntegrityException.class)
          .hasMessageStartingWith("Cannot download catalog s3://" + BUCKET + "/" + key + ": ")
          .hasMessageContaining("but its metadata says "
              + uploaded.metadata().get(CatalogMetadata.CRC32C));
      assertThat(target).hasBinaryContent(previous);
    }
  }

  private static String crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array());
  }
}
