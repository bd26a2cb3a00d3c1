package dev.lea.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ReadResult;
import dev.lea.testing.SystemProperties;
import dev.lea.transport.CatalogFile;
import dev.lea.transport.CatalogIntegrityException;
import dev.lea.transport.CatalogMetadata;
import dev.lea.transport.CatalogTransport;
import dev.lea.transport.CatalogTransports;
import dev.lea.transport.Download;
import dev.lea.transport.TransportOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 16, one integrity pass, with S3's own CRC32C: object-copy records no CRC32C or SHA-256 of
 * its own (so it reads the catalog only to send it), the object carries S3's full-object CRC32C,
 * and the download checks it on the pass that writes the file, refusing bytes that changed in the
 * bucket. Sizes below and above the single-PUT limit (one PutObject; parts from the file) and a
 * compressed upload (parts from a stream of unknown length).
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

  /** An uncompressed object-copy upload of a new object. */
  private ObjectInfo upload(S3ObjectStore store, String key, Path source) throws IOException {
    return transport("none").upload(store, key, source,
        new CatalogFile(null, Files.size(source), "duckdb"), Condition.ifAbsent());
  }

  private Path catalog(int size) throws IOException {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Files.write(dir.resolve("c-" + size + ".duckdb"), bytes);
  }

  @ParameterizedTest(name = "{0} bytes, {1}")
  @CsvSource({"1048576, none", "11534349, none", "11534349, zstd"})
  void verifiesTheStoresCrc32cWithoutARecordOfItsOwn(int size, String compression)
      throws IOException {
    Path source = catalog(size);
    String key = "c-" + size + "-" + compression + ".duckdb";
    Path target = dir.resolve("downloaded.duckdb");
    try (S3ObjectStore store = store()) {
      assertThat(store.supports(Capability.CRC32C)).isTrue();

      ObjectInfo uploaded = transport(compression).upload(store, key, source,
          new CatalogFile(null, size, "duckdb"), Condition.ifAbsent());
      Download download = transport(compression).download(store, key, target, null);

      assertThat(uploaded.metadata()).doesNotContainKeys(CatalogMetadata.CRC32C,
          CatalogMetadata.SHA256);
      assertThat(uploaded.crc32c()).as("put").isNotNull();
      assertThat(store.head(key).orElseThrow().crc32c()).as("head").isEqualTo(uploaded.crc32c());
      if (compression.equals("none")) {
        assertThat(uploaded.crc32c()).isEqualTo(crc32c(Files.readAllBytes(source)));
      }
      assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
      assertThat(download.crc32c()).isEqualTo(crc32c(Files.readAllBytes(source)));
      assertThat(download.sha256()).isNull();
      assertThat(Files.mismatch(source, target)).as("first differing byte").isEqualTo(-1L);
    }
  }

  /** A byte flipped in S3Proxy's file of the object, its size and S3's CRC32C unchanged. */
  @ParameterizedTest(name = "{0} bytes")
  @CsvSource({"1048576", "11534349"})
  void refusesBytesThatDoNotMatchTheStoresCrc32cAndKeepsTheLocalCopy(int size)
      throws IOException {
    Path source = catalog(size);
    String key = "flipped-" + size + ".duckdb";
    byte[] previous = "previous".getBytes(StandardCharsets.UTF_8);
    Path target = Files.write(dir.resolve("target.duckdb"), previous);
    try (S3ObjectStore store = store()) {
      ObjectInfo uploaded = upload(store, key, source);
      flipByte(PROXY.objectFile(key), size / 2);

      assertThatThrownBy(() -> transport("none").download(store, key, target, null))
          .isInstanceOf(CatalogIntegrityException.class)
          .hasMessageStartingWith("Cannot download catalog s3://" + BUCKET + "/" + key + ": ")
          .hasMessageContaining("but the store recorded " + uploaded.crc32c());
      assertThat(target).hasBinaryContent(previous);
    }
  }

  /**
   * S3Proxy 4.1.0 checks a CRC32C sent in the trailer (as the SDK sends a file's) and keeps none:
   * a server that keeps no checksum makes the store report none, and the download then still
   * completes, with a SHA-256 of what it wrote, instead of refusing or trusting a wrong value.
   */
  @ParameterizedTest(name = "{0} bytes")
  @CsvSource({"1048576"})
  void aServerThatKeepsNoChecksumReportsNoneAndTheDownloadStillCompletes(int size)
      throws IOException {
    Path source = catalog(size);
    String key = "trailer-" + size + ".duckdb";
    Path target = dir.resolve("downloaded.duckdb");
    try (S3ObjectStore store = new S3ObjectStore("s3", BUCKET, PROXY.server().newClient(),
        UploadTuning.DEFAULT, true)) {
      ObjectInfo uploaded = upload(store, key, source);
      Download download = transport("none").download(store, key, target, null);

      assertThat(uploaded.crc32c()).as("put").isNull();
      assertThat(store.head(key).orElseThrow().crc32c()).as("head").isNull();
      assertThat(download.crc32c()).isEqualTo(crc32c(Files.readAllBytes(source)));
      assertThat(download.sha256()).isNotNull();
      assertThat(Files.mismatch(source, target)).as("first differing byte").isEqualTo(-1L);
    }
  }

  /**
   * {@code AWS_REQUEST_CHECKSUM_CALCULATION=when_required} (here the SDK's system property for it)
   * is what S3-compatible vendors tell users of servers that refuse checksum headers. Then no
   * request carries a checksum, the store claims no CRC32C, and object-copy records the catalog's
   * CRC32C in the metadata, which the download checks: a flipped byte is still refused.
   */
  @ParameterizedTest(name = "{0} bytes")
  @CsvSource({"1048576", "11534349"})
  void checksumsOnlyWhenRequiredMakeObjectCopyRecordTheCatalogsCrc32c(int size)
      throws IOException {
    Path source = catalog(size);
    String key = "when-required-" + size + ".duckdb";
    Path target = dir.resolve("downloaded.duckdb");
    S3Client client;
    try (SystemProperties sdk = SystemProperties.set(
        Map.of("aws.requestChecksumCalculation", "when_required"))) {
      client = PROXY.server().newClient();
    }
    try (S3ObjectStore store = new S3ObjectStore("s3", BUCKET, client,
        new UploadTuning(6L << 20, 5 << 20, 2))) {
      assertThat(store.supports(Capability.CRC32C)).isFalse();

      ObjectInfo uploaded = upload(store, key, source);
      Download download = transport("none").download(store, key, target, null);

      String expected = crc32c(Files.readAllBytes(source));
      assertThat(uploaded.metadata()).containsEntry(CatalogMetadata.CRC32C, expected);
      assertThat(store.head(key).orElseThrow().crc32c()).as("head").isNull();
      assertThat(download.crc32c()).isEqualTo(expected);
      assertThat(Files.mismatch(source, target)).as("first differing byte").isEqualTo(-1L);

      flipByte(PROXY.objectFile(key), size / 2);
      assertThatThrownBy(() -> transport("none").download(store, key, target, null))
          .isInstanceOf(CatalogIntegrityException.class)
          .hasMessageContaining("but its metadata says " + expected);
    }
  }

  private static void flipByte(Path file, long position) throws IOException {
    // Written in place, so that S3Proxy's extended attributes (its ETag and CRC32C) stay.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
      channel.write(one, position);
    }
  }

  private static String crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array());
  }
}
