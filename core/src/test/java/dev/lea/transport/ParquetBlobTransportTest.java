package dev.lea.transport;

import dev.lea.config.LeaSettings;
import dev.lea.internal.LocalFiles;
import dev.lea.internal.Sql;
import dev.lea.store.Condition;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parquet-blob file format: chunking, self-description, and the proof of concept's files. */
class ParquetBlobTransportTest {

  private static final int CHUNK = 1000;
  private static final byte[] PREVIOUS = "previous".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private ObjectStore store;
  private CatalogTransport transport;

  @BeforeEach
  void setUp() {
    store = ObjectStores.file(dir.resolve("bucket"));
    transport = new ParquetBlobTransport(CHUNK).withOptions(
        new TransportOptions(LeaSettings.COMPRESSION_DEFAULT, dir.resolve("work")));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 10 * CHUNK + 7})
  void writesOneRowGroupPerChunkAndDescribesItself(int size) throws Exception {
    Path source = bytes("c.sqlite", size);
    String sha = LocalFiles.sha256(source);
    transport.upload(store, "c.sqlite", source, new CatalogFile(sha, size, "sqlite"),
        Condition.ifAbsent());

    Path parquet = rawObject("c.sqlite");
    long expectedParts = Math.max(1, (size + CHUNK - 1) / CHUNK);
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      String file = Sql.literal(parquet.toString());
      assertThat(query(duckdb, "SELECT count(*), count(DISTINCT part), min(part), max(part),"
          + " max(octet_length(bytes)), sum(octet_length(bytes)) FROM read_parquet(" + file + ")"))
          .isEqualTo(expectedParts + "|" + expectedParts + "|0|" + (expectedParts - 1) + "|"
              + Math.min(size, CHUNK) + "|" + size);
      assertThat(query(duckdb, "SELECT count(DISTINCT row_group_id), max(row_group_num_rows)"
          + " FROM parquet_metadata(" + file + ")"))
          .isEqualTo(expectedParts + "|1");
      assertThat(query(duckdb, "SELECT string_agg(decode(key) || '=' || decode(value), ','"
          + " ORDER BY decode(key)) FROM parquet_kv_metadata(" + file + ")"))
          .isEqualTo("lea-format=sqlite,lea-sha256=" + sha + ",lea-size=" + size
              + ",lea-transport=parquet-blob");
    }

    Path target = dir.resolve("downloaded.sqlite");
    Download download = transport.download(store, "c.sqlite", target, null);
    assertThat(download.sha256()).isEqualTo(sha);
    assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
  }

  @Test
  void partsAreReassembledByNumberNotByFileOrder() throws Exception {
    Path parquet = dir.resolve("shuffled.parquet");
    duckdb("COPY (SELECT * FROM (VALUES (2, 'cc'::BLOB), (0, 'aa'::BLOB), (1, 'bb'::BLOB))"
        + " t(part, bytes)) TO " + Sql.literal(parquet.toString()) + " (FORMAT PARQUET)");
    store.put("c.sqlite", parquet, Map.of(), Condition.none());

    Path target = dir.resolve("downloaded.sqlite");
    Download download = transport.download(store, "c.sqlite", target, null);

    assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
    assertThat(target).hasContent("aabbcc");
  }

  @ParameterizedTest(name = "column {0}")
  @ValueSource(strings = {"content", "catalog blob"})
  void readsTheProofOfConceptsSingleBlobFiles(String column) throws Exception {
    Path source = bytes("poc.sqlite", 12_345);
    Path parquet = dir.resolve("poc.parquet");
    duckdb("COPY (SELECT content AS " + Sql.identifier(column) + " FROM read_blob("
        + Sql.literal(source.toString()) + ")) TO " + Sql.literal(parquet.toString())
        + " (FORMAT PARQUET)");
    store.put("lake/catalog.sqlite", parquet, Map.of(), Condition.none());

    Path target = dir.resolve("downloaded.sqlite");
    Download download = transport.download(store, "lake/catalog.sqlite", target, null);

    assertThat(download.status()).isEqualTo(ReadResult.Status.FOUND);
    assertThat(download.size()).isEqualTo(12_345);
    assertThat(download.sha256()).isEqualTo(LocalFiles.sha256(source));
    assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
  }

  @Test
  void refusesASingleBlobFileWithMoreThanOneRow() throws Exception {
    assertRefused("COPY (SELECT * FROM (VALUES ('a'::BLOB), ('b'::BLOB)) t(content))",
        "its single BLOB column 'content' must hold exactly one non-null row");
  }

  @Test
  void refusesParquetOfAnotherShape() throws Exception {
    assertRefused("COPY (SELECT 1 AS id, 'x' AS name)", "it is not a parquet-blob catalog:"
        + " expected the columns (part INTEGER, bytes BLOB) or a single BLOB column, found"
        + " {id=INTEGER, name=VARCHAR}");
  }

  @Test
  void refusesAMissingPart() throws Exception {
    assertRefused("COPY (SELECT * FROM (VALUES (0, 'a'::BLOB), (2, 'c'::BLOB)) t(part, bytes))",
        "its parts are not numbered 0..n-1: expected part 1 but found 2");
  }

  @Test
  void refusesADuplicatePart() throws Exception {
    assertRefused("COPY (SELECT * FROM (VALUES (0, 'a'::BLOB), (1, 'b'::BLOB), (1, 'b'::BLOB))"
        + " t(part, bytes))", "its parts are not numbered 0..n-1: expected part 2 but found 1");
  }

  @Test
  void refusesAPartWithoutBytes() throws Exception {
    assertRefused("COPY (SELECT * FROM (VALUES (0, 'a'::BLOB), (1, NULL::BLOB)) t(part, bytes))",
        "part 1 has no bytes");
  }

  @Test
  void refusesAFileWhoseOwnMetadataDisagreesWithItsBytes() throws Exception {
    assertRefused("COPY (SELECT 0 AS part, 'abc'::BLOB AS bytes) ",
        ", KV_METADATA {'lea-size': '3', 'lea-sha256': 'deadbeef'}",
        "its SHA-256 is " + sha("abc") + " but its Parquet metadata says deadbeef");
  }

  @Test
  void refusesAnObjectThatIsNotParquet() throws Exception {
    Path target = Files.write(dir.resolve("target.sqlite"), PREVIOUS);
    store.put("c.sqlite", bytes("raw.sqlite", 5000), Map.of(), Condition.none());

    assertThatThrownBy(() -> transport.download(store, "c.sqlite", target, null))
        .isInstanceOf(CatalogIntegrityException.class)
        .hasMessageStartingWith("Cannot download catalog " + store.describe() + "/c.sqlite:"
            + " DuckDB cannot read it as Parquet (Invalid Input Error: No magic bytes found at"
            + " end of file 'c.sqlite')");
    assertThat(target).hasBinaryContent(PREVIOUS);
  }

  @Test
  void leavesNoScratchFilesBehind() throws Exception {
    Path source = bytes("c.sqlite", 3 * CHUNK);
    transport.upload(store, "c.sqlite", source, new CatalogFile(LocalFiles.sha256(source),
        Files.size(source), "sqlite"), Condition.none());
    transport.download(store, "c.sqlite", dir.resolve("downloaded.sqlite"), null);

    try (var left = Files.list(dir.resolve("work"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void chunkSizeIsBoundedBy64MiB() {
    assertThatThrownBy(() -> new ParquetBlobTransport(0))
        .hasMessage("chunk size must be 1..67108864");
    assertThatThrownBy(() -> new ParquetBlobTransport(64 * 1024 * 1024 + 1))
        .hasMessage("chunk size must be 1..67108864");
  }

  private void assertRefused(String copy, String reason) throws Exception {
    assertRefused(copy, "", reason);
  }

  private void assertRefused(String copy, String options, String reason) throws Exception {
    Path parquet = dir.resolve("crafted.parquet");
    duckdb(copy + " TO " + Sql.literal(parquet.toString()) + " (FORMAT PARQUET" + options
        + ")");
    store.put("c.sqlite", parquet, Map.of(), Condition.none());
    Path target = Files.write(dir.resolve("target.sqlite"), PREVIOUS);

    assertThatThrownBy(() -> transport.download(store, "c.sqlite", target, null))
        .isInstanceOf(CatalogIntegrityException.class)
        .hasMessageStartingWith("Cannot download catalog " + store.describe() + "/c.sqlite: "
            + reason + ". ");
    assertThat(target).hasBinaryContent(PREVIOUS);
  }

  private Path rawObject(String key) throws IOException {
    Path file = dir.resolve("raw-" + key.replace('/', '_') + ".parquet");
    try (ReadResult read = store.read(key, null); InputStream in = read.content()) {
      Files.copy(in, file);
    }
    return file;
  }

  private Path bytes(String name, int size) throws IOException {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  private static String sha(String text) throws IOException {
    try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
      return LocalFiles.copyWithSha256(in, OutputStream.nullOutputStream());
    }
  }

  private static void duckdb(String sql) throws SQLException {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String query(Connection duckdb, String sql) throws SQLException {
    try (Statement statement = duckdb.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
        row.append(i > 1 ? "|" : "").append(rows.getString(i));
      }
      return row.toString();
    }
  }
}
