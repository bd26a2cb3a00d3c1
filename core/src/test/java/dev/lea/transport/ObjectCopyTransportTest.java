package dev.lea.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lea.config.LeaConfig;
import dev.lea.duckdb.DuckDb;
import dev.lea.store.Condition;
import dev.lea.store.FileObjectStore;
import dev.lea.store.LocalFiles;
import dev.lea.store.ObjectStore;
import dev.lea.store.ReadResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Objects object-copy did not write itself: catalogs copied in by hand, proof-of-concept files. */
class ObjectCopyTransportTest {

  @TempDir Path dir;

  private ObjectStore store;
  private final ObjectCopyTransport transport = new ObjectCopyTransport();

  @BeforeEach
  void setUp() {
    store = new FileObjectStore(dir.resolve("bucket"));
  }

  @Test
  void catalogCopiedInWithoutMetadataIsDownloadedAsIs() throws Exception {
    Path catalog = Files.writeString(dir.resolve("c.sqlite"), "SQLite format 3\0 and pages");
    store.put("c.sqlite", catalog, Map.of(), Condition.none());
    Path target = dir.resolve("downloaded.sqlite");

    Download download = transport.download(store, "c.sqlite", target, null,
        LeaConfig.defaults(dir));

    assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
    assertThat(download.sha256()).isEqualTo(LocalFiles.sha256(catalog));
    assertThat(target).hasSameBinaryContentAs(catalog);
  }

  @Test
  void proofOfConceptParquetFileIsRefusedNamingParquetBlob() throws Exception {
    Path parquet = dir.resolve("poc.parquet");
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      statement.execute("COPY (SELECT 'SQLite format 3'::BLOB AS content) TO "
          + DuckDb.literal(parquet.toString()) + " (FORMAT PARQUET)");
    }
    store.put("c.sqlite", parquet, Map.of(), Condition.none());
    byte[] previous = "previous".getBytes(StandardCharsets.UTF_8);
    Path target = Files.write(dir.resolve("target.sqlite"), previous);

    assertThatThrownBy(() -> transport.download(store, "c.sqlite", target, null,
        LeaConfig.defaults(dir)))
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
    LeaConfig gzip = LeaConfig.defaults(dir)
        .with(dev.lea.config.LeaSettings.COMPRESSION, "gzip");

    assertThatThrownBy(() -> transport.upload(store, "c.sqlite", unreadable,
        new CatalogFile("0".repeat(64), 1234, "sqlite"), Condition.none(), gzip))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageStartingWith("Cannot compress " + unreadable);

    try (ReadResult read = store.read("c.sqlite", null)) {
      assertThat(read.content().readAllBytes())
          .isEqualTo("the catalog before".getBytes(StandardCharsets.UTF_8));
    }
  }
}
