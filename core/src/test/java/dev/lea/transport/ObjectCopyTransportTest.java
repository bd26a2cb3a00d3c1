package dev.lea.transport;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.internal.Sql;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Objects object-copy did not write itself: catalogs copied in by hand, proof-of-concept files. */
class ObjectCopyTransportTest {

  @TempDir Path dir;

  private ObjectStore store;
  private final ObjectCopyTransport transport = new ObjectCopyTransport();

  @BeforeEach
  void setUp() {
    store = ObjectStores.file(dir.resolve("bucket"));
  }

  @Test
  void catalogCopiedInWithoutMetadataIsDownloadedAsIs() throws Exception {
    Path catalog = Files.writeString(dir.resolve("c.sqlite"), "SQLite format 3\0 and pages");
    Files.createDirectories(dir.resolve("bucket"));
    Files.copy(catalog, dir.resolve("bucket/c.sqlite"));
    Path target = dir.resolve("downloaded.sqlite");

    Download download = transport.download(store, "c.sqlite", target, null);

    assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
    assertThat(download.sha256()).isEqualTo(LocalFiles.sha256(catalog));
    assertThat(target).hasSameBinaryContentAs(catalog);
  }

  /**
   * Issue 16, one integrity pass: with no SHA-256 computed before the upload, the store's CRC32C
   * (computed as the bytes arrived) is what the download checks, and the download reports the
   * catalog's CRC32C computed on the way.
   */
  @ParameterizedTest
  @ValueSource(strings = {"none", "gzip", "zstd"})
  void uploadsWithoutAPrecomputedDigestAndVerifiesTheStoresCrc32c(String compression)
      throws Exception {
    byte[] bytes = new byte[3 * 1024 * 1024 + 5];
    new Random(7).nextBytes(bytes);
    Path catalog = Files.write(dir.resolve("c.duckdb"), bytes);
    CatalogTransport compressing =
        transport.withOptions(TransportOptions.of(LeaConfig.defaults(dir)
            .with(LeaSettings.COMPRESSION, compression)));

    ObjectInfo uploaded = compressing.upload(store, "c.duckdb", catalog,
        new CatalogFile(null, bytes.length, "duckdb"), Condition.ifAbsent());
    Download download = compressing.download(store, "c.duckdb", dir.resolve("downloaded.duckdb"),
        null);

    assertThat(uploaded.metadata()).doesNotContainKey(CatalogMetadata.SHA256);
    assertThat(uploaded.crc32c()).isNotNull();
    assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
    assertThat(download.crc32c()).isEqualTo(crc32c(bytes));
    assertThat(download.sha256()).isNull();
    assertThat(download.size()).isEqualTo(bytes.length);
    assertThat(dir.resolve("downloaded.duckdb")).hasBinaryContent(bytes);
  }

  /** A digest the writer recorded is checked too, on the same pass, and reported. */
  @Test
  void checksTheRecordedDigestOnTheSamePass() throws Exception {
    Path catalog = Files.writeString(dir.resolve("c.sqlite"), "SQLite format 3\0 pages");
    String sha = LocalFiles.sha256(catalog);
    transport.upload(store, "c.sqlite", catalog, new CatalogFile(sha, Files.size(catalog),
        "sqlite"), Condition.ifAbsent());

    Download download = transport.download(store, "c.sqlite", dir.resolve("d.sqlite"), null);

    assertThat(download.sha256()).isEqualTo(sha);
    assertThat(download.crc32c()).isEqualTo(crc32c(Files.readAllBytes(catalog)));
  }

  /**
   * A bit flipped in the bucket (the file's size and time unchanged, as rot leaves them) is
   * refused, and the previous local copy is left as it was; also above 16 MiB, where the CRC32C
   * of a kernel copy is computed on a second thread.
   */
  @ParameterizedTest
  @CsvSource({"none, 200000", "zstd, 200000", "none, 20000000"})
  void refusesABitFlippedInTheBucketAndKeepsTheLocalCopy(String compression, int size)
      throws Exception {
    byte[] bytes = new byte[size];
    new Random(3).nextBytes(bytes);
    Path catalog = Files.write(dir.resolve("c.duckdb"), bytes);
    CatalogTransport compressing =
        transport.withOptions(TransportOptions.of(LeaConfig.defaults(dir)
            .with(LeaSettings.COMPRESSION, compression)));
    compressing.upload(store, "c.duckdb", catalog, new CatalogFile(null, bytes.length, "duckdb"),
        Condition.ifAbsent());
    Path inBucket = dir.resolve("bucket/c.duckdb");
    FileTime modified = Files.getLastModifiedTime(inBucket);
    try (FileChannel file = FileChannel.open(inBucket, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      file.read(one, size / 2);
      one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
      file.write(one, size / 2);
    }
    Files.setLastModifiedTime(inBucket, modified);
    byte[] previous = "previous".getBytes(StandardCharsets.UTF_8);
    Path target = Files.write(dir.resolve("target.duckdb"), previous);

    var refused = assertThatThrownBy(() -> compressing.download(store, "c.duckdb", target, null))
        .isInstanceOf(CatalogIntegrityException.class)
        .hasMessageStartingWith("Cannot download catalog " + store.describe() + "/c.duckdb");
    if (compression.equals("none")) {
      refused.hasMessageContaining("but the store recorded");
    }
    assertThat(target).hasBinaryContent(previous);
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(name -> name.endsWith(".part"));
    }
  }

  private static String crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void proofOfConceptParquetFileIsRefusedNamingParquetBlob() throws Exception {
    Path parquet = dir.resolve("poc.parquet");
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      statement.execute("COPY (SELECT 'SQLite format 3'::BLOB AS content) TO "
          + Sql.literal(parquet.toString()) + " (FORMAT PARQUET)");
    }
    store.put("c.sqlite", parquet, Map.of(), Condition.none());
    byte[] previous = "previous".getBytes(StandardCharsets.UTF_8);
    Path target = Files.write(dir.resolve("target.sqlite"), previous);

    assertThatThrownBy(() -> transport.download(store, "c.sqlite", target, null))
        .isInstanceOf(CatalogIntegrityException.class)
        .hasMessage("Cannot download catalog " + store.describe() + "/c.sqlite: it was written by"
            + " the 'parquet-blob' transport but 'object-copy' is configured. Set"
            + " lea.ducklake.transport=parquet-blob (LEA_DUCKLAKE_TRANSPORT) to read it.");
    assertThat(target).hasBinaryContent(previous);
  }

  @Test
  void aCompressorThatFailsNeverCommitsATruncatedCatalog() throws Exception {
    Path previous = Files.writeString(dir.resolve("previous.sqlite"), "the catalog before");
    store.put("c.sqlite", previous, Map.of(), Condition.none());
    Path unreadable = Files.createDirectory(dir.resolve("not-a-file"));
    CatalogTransport gzip = transport.withOptions(TransportOptions.of(LeaConfig.defaults(dir)
        .with(LeaSettings.COMPRESSION, "gzip")));

    assertThatThrownBy(() -> gzip.upload(store, "c.sqlite", unreadable,
        new CatalogFile("0".repeat(64), 1234, "sqlite"), Condition.none()))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageStartingWith("Cannot compress " + unreadable);

    try (ReadResult read = store.read("c.sqlite", null)) {
      assertThat(read.content().readAllBytes())
          .isEqualTo("the catalog before".getBytes(StandardCharsets.UTF_8));
    }
  }
}
