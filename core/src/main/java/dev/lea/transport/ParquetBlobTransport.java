package dev.lea.transport;

import dev.lea.internal.LocalFiles;
import dev.lea.internal.Sql;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ReadResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's proof of concept, made safe for large catalogs: DuckDB writes the catalog as a
 * Parquet file of {@code (part INTEGER, bytes BLOB)} rows, one row group per chunk of 8 MiB
 * (files of earlier versions have chunks of up to 64 MiB), with the catalog's SHA-256 and size in
 * the file's key-value metadata as well as in the object's. Reading also accepts the proof of
 * concept's single-row, single-BLOB-column files.
 *
 * <p>Neither direction holds more than a slice of the catalog in the Java heap. Encoding splits
 * the catalog into chunk files on disk and lets DuckDB read them with {@code read_blob} and write
 * the Parquet file itself; the file then travels through the {@link ObjectStore} like any object,
 * so this works with every store and offline. Decoding asks DuckDB for one slice of one part at a
 * time, a slice being at most an eighth of the heap: DuckDB's JDBC driver copies a BLOB into a
 * Java array, and an array the heap cannot hold brings down the JVM inside the driver's native
 * code instead of raising an {@link OutOfMemoryError}. The local scratch space is about twice the
 * catalog.
 */
final class ParquetBlobTransport implements CatalogTransport {

  static final String NAME = "parquet-blob";

  static final int MAX_CHUNK_SIZE = 64 * 1024 * 1024;
  static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
  /** Bounds of the bytes fetched per JDBC query. */
  static final int MIN_SLICE = 256 * 1024;
  static final int MAX_SLICE = DEFAULT_CHUNK_SIZE;

  /**
   * The smallest heap this transport runs in: below it the JVM runs out of heap on the way, and
   * at {@code -Xmx8m} it then crashed (SIGSEGV) instead of reporting the error.
   */
  static final long MIN_HEAP = 16L * 1024 * 1024;

  private static final String PART = "part";
  private static final String BYTES = "bytes";

  private final int chunkSize;
  /** Bytes fetched per JDBC query, or 0 for {@link #sliceSize()} of the heap at the time. */
  private final int sliceSize;
  private final TransportOptions options;

  ParquetBlobTransport() {
    this(DEFAULT_CHUNK_SIZE);
  }

  /** Tests use small chunks to exercise many parts cheaply. */
  ParquetBlobTransport(int chunkSize) {
    this(chunkSize, 0);
  }

  /** Tests use small slices to exercise parts read in several queries. */
  ParquetBlobTransport(int chunkSize, int sliceSize) {
    this(chunkSize, sliceSize, TransportOptions.DEFAULTS);
  }

  private ParquetBlobTransport(int chunkSize, int sliceSize, TransportOptions options) {
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException("chunk size must be 1.." + MAX_CHUNK_SIZE);
    }
    if (sliceSize < 0) {
      throw new IllegalArgumentException("slice size must be positive, or 0 for the default");
    }
    this.chunkSize = chunkSize;
    this.sliceSize = sliceSize;
    this.options = options;
  }

  @Override
  public CatalogTransport withOptions(TransportOptions options) {
    return new ParquetBlobTransport(chunkSize, sliceSize, options);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ObjectInfo upload(ObjectStore store, String key, Path source, CatalogFile catalog,
      Condition condition) throws IOException {
    requireHeap("upload", store, key);
    Compression compression = options.codec();
    // The Parquet file's own metadata carries the digest, so it is needed before encoding.
    CatalogFile described = catalog.sha256() != null ? catalog
        : new CatalogFile(LocalFiles.sha256(source), catalog.size(), catalog.format());
    Map<String, String> metadata = CatalogMetadata.of(described, NAME, compression);
    Path scratch = scratchDirectory();
    try {
      Path parquet = scratch.resolve("catalog.parquet");
      encode(source, described, compression, scratch, parquet);
      return store.put(key, parquet, metadata, condition);
    } finally {
      LocalFiles.deleteRecursively(scratch);
    }
  }

  @Override
  public Download download(
      ObjectStore store, String key, Path target, String ifNoneMatch)
      throws IOException {
    requireHeap("download", store, key);
    Path scratch = null;
    ObjectInfo info;
    try (ReadResult read = store.read(key, ifNoneMatch)) {
      Optional<Download> nothingToWrite = Download.withoutContent(read);
      if (nothingToWrite.isPresent()) {
        return nothingToWrite.get();
      }
      info = read.info();
      String writtenBy = info.metadata().get(CatalogMetadata.TRANSPORT);
      if (writtenBy != null && !writtenBy.equals(NAME)) {
        throw CatalogIntegrityException.otherTransport(store, key, writtenBy, NAME);
      }
      scratch = scratchDirectory();
      Path parquet = scratch.resolve("catalog.parquet");
      try (InputStream in = read.content();
          OutputStream out = Files.newOutputStream(parquet, StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE)) {
        in.transferTo(out);
      }
      return decode(store, key, info, parquet, scratch, target);
    } finally {
      if (scratch != null) {
        LocalFiles.deleteRecursively(scratch);
      }
    }
  }

  private void encode(Path source, CatalogFile catalog, Compression compression, Path scratch,
      Path parquet) throws IOException {
    Path chunks = Files.createDirectory(scratch.resolve("chunks"));
    List<String> chunkFiles = split(source, chunks);
    String codec = compression == Compression.NONE ? "uncompressed" : compression.metadataValue();
    StringBuilder files = new StringBuilder("[");
    for (String file : chunkFiles) {
      files.append(files.length() > 1 ? ", " : "").append(Sql.literal(file));
    }
    files.append(']');
    // One chunk per row group, so a reader can fetch one part without decoding its neighbours.
    String copy = "COPY (SELECT CAST(regexp_extract(filename, 'chunk-([0-9]+)[.]bin$', 1)"
        + " AS INTEGER) AS " + PART + ", content AS " + BYTES + " FROM read_blob(" + files
        + ")) TO " + Sql.literal(parquet.toString()) + " (FORMAT PARQUET, COMPRESSION "
        + codec + ", ROW_GROUP_SIZE 1, KV_METADATA {"
        + Sql.literal(CatalogMetadata.SHA256) + ": " + Sql.literal(catalog.sha256()) + ", "
        + Sql.literal(CatalogMetadata.SIZE) + ": " + Sql.literal(Long.toString(
            catalog.size())) + ", "
        + Sql.literal(CatalogMetadata.FORMAT) + ": " + Sql.literal(catalog.format()) + ", "
        + Sql.literal(CatalogMetadata.TRANSPORT) + ": " + Sql.literal(NAME) + "})";
    try (Connection duckdb = open(scratch); Statement statement = duckdb.createStatement()) {
      statement.execute(copy);
    } catch (SQLException e) {
      throw new IOException("Cannot encode catalog " + source + " as Parquet: "
          + reason(e), e);
    }
  }

  /**
   * Copies {@code source} into chunk files of {@link #chunkSize} bytes, file to file without
   * passing through the heap. An empty catalog is one empty chunk, so every file has part 0.
   */
  private List<String> split(Path source, Path chunks) throws IOException {
    List<String> files = new ArrayList<>();
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      long size = in.size();
      long offset = 0;
      do {
        Path chunk = chunks.resolve(String.format(Locale.ROOT, "chunk-%08d.bin", files.size()));
        long length = Math.min(chunkSize, size - offset);
        try (FileChannel out = FileChannel.open(chunk, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
          long copied = 0;
          while (copied < length) {
            copied += in.transferTo(offset + copied, length - copied, out);
          }
        }
        files.add(chunk.toString());
        offset += length;
      } while (offset < size);
    }
    return files;
  }

  private Download decode(ObjectStore store, String key, ObjectInfo info, Path parquet,
      Path scratch, Path target) throws IOException {
    String file = Sql.literal(parquet.toString());
    Path temp = LocalFiles.createPrivateTempSibling(target);
    try (Connection duckdb = open(scratch)) {
      Map<String, String> columns = columns(duckdb, file);
      Map<String, String> fileMetadata = keyValueMetadata(duckdb, file);
      MessageDigest digest = LocalFiles.sha256();
      long size;
      // WRITE only: truncating the new, empty file would make ext4 flush it on close.
      try (OutputStream out = new DigestOutputStream(
          Files.newOutputStream(temp, StandardOpenOption.WRITE), digest)) {
        if (isChunked(columns)) {
          size = copyParts(store, key, duckdb, file, out);
        } else if (columns.size() == 1 && columns.values().iterator().next().equals("BLOB")) {
          size = copySingleBlob(store, key, duckdb, file, columns.keySet().iterator().next(), out);
        } else {
          throw CatalogIntegrityException.corrupt(store, key, "it is not a parquet-blob catalog:"
              + " expected the columns (part INTEGER, bytes BLOB) or a single BLOB column, found "
              + columns);
        }
      }
      String sha = HexFormat.of().formatHex(digest.digest());
      verify(store, key, info.metadata(), fileMetadata, CatalogMetadata.SIZE,
          Long.toString(size), "it has " + size + " bytes");
      verify(store, key, info.metadata(), fileMetadata, CatalogMetadata.SHA256, sha,
          "its SHA-256 is " + sha);
      LocalFiles.moveAtomically(temp, target);
      return new Download(ReadResult.Status.FOUND, info, sha, size);
    } catch (SQLException e) {
      throw CatalogIntegrityException.corrupt(store, key, "DuckDB cannot read it as Parquet ("
          + reason(e).replace(parquet.toString(), key) + ")", e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static boolean isChunked(Map<String, String> columns) {
    String part = columns.get(PART);
    return columns.size() == 2 && "BLOB".equals(columns.get(BYTES))
        && ("INTEGER".equals(part) || "BIGINT".equals(part));
  }

  /**
   * Writes parts 0..n-1 in order, one slice per query: DuckDB's JDBC driver materialises a whole
   * vector of rows per fetch, so a single scan could pull many chunks into the heap.
   */
  private long copyParts(ObjectStore store, String key, Connection duckdb, String file,
      OutputStream out) throws SQLException, IOException {
    List<Long> lengths = new ArrayList<>();
    try (Statement statement = duckdb.createStatement();
        ResultSet rows = statement.executeQuery("SELECT " + PART + ", octet_length(" + BYTES
            + ") FROM read_parquet(" + file + ") ORDER BY " + PART)) {
      while (rows.next()) {
        long part = rows.getLong(1);
        if (rows.wasNull() || part != lengths.size()) {
          throw CatalogIntegrityException.corrupt(store, key, "its parts are not numbered 0.."
              + "n-1: expected part " + lengths.size() + " but found "
              + (rows.wasNull() ? "NULL" : part));
        }
        long length = rows.getLong(2);
        if (rows.wasNull()) {
          throw CatalogIntegrityException.corrupt(store, key, "part " + part + " has no bytes");
        }
        lengths.add(length);
      }
    }
    if (lengths.isEmpty()) {
      throw CatalogIntegrityException.corrupt(store, key, "it has no parts");
    }
    long size = 0;
    try (PreparedStatement select = duckdb.prepareStatement("SELECT " + BYTES + "[?:?] FROM"
        + " read_parquet(" + file + ") WHERE " + PART + " = ?")) {
      for (int part = 0; part < lengths.size(); part++) {
        select.setLong(3, part);
        size += copySlices(store, key, select, lengths.get(part), out);
      }
    }
    return size;
  }

  /** The proof of concept's format: the whole catalog in one row, fetched slice by slice. */
  private long copySingleBlob(ObjectStore store, String key, Connection duckdb, String file,
      String column, OutputStream out) throws SQLException, IOException {
    String blob = Sql.identifier(column);
    long length;
    try (Statement statement = duckdb.createStatement();
        ResultSet rows = statement.executeQuery("SELECT octet_length(" + blob
            + ") FROM read_parquet(" + file + ") LIMIT 2")) {
      length = rows.next() ? rows.getLong(1) : -1;
      if (length < 0 || rows.wasNull() || rows.next()) {
        throw CatalogIntegrityException.corrupt(store, key, "its single BLOB column '" + column
            + "' must hold exactly one non-null row");
      }
    }
    try (PreparedStatement select = duckdb.prepareStatement(
        "SELECT " + blob + "[?:?] FROM read_parquet(" + file + ")")) {
      return copySlices(store, key, select, length, out);
    }
  }

  /**
   * Copies a BLOB of {@code length} bytes through {@code select}, whose first two parameters are
   * the 1-based first and last byte of a slice.
   */
  private long copySlices(ObjectStore store, String key, PreparedStatement select,
      long length, OutputStream out) throws SQLException, IOException {
    int slice = sliceSize > 0 ? sliceSize : sliceSize();
    for (long offset = 0; offset < length; offset += slice) {
      long expected = Math.min(slice, length - offset);
      select.setLong(1, offset + 1);
      select.setLong(2, offset + expected);
      try (ResultSet row = select.executeQuery()) {
        byte[] bytes = row.next() ? row.getBytes(1) : null;
        if (bytes == null || bytes.length != expected) {
          throw CatalogIntegrityException.corrupt(store, key, "a part changed while it was read:"
              + " expected " + expected + " bytes at offset " + offset + ", got "
              + (bytes == null ? "none" : bytes.length));
        }
        out.write(bytes);
      }
    }
    return length;
  }

  private static void requireHeap(String verb, ObjectStore store, String key)
      throws IOException {
    long max = Runtime.getRuntime().maxMemory();
    if (max < MIN_HEAP) {
      throw new IOException("Cannot " + verb + " catalog " + store.describe() + "/" + key
          + " with the " + NAME + " transport: the JVM's maximum heap is " + max / (1024 * 1024)
          + " MiB and it needs at least " + MIN_HEAP / (1024 * 1024) + " MiB. Raise -Xmx (for"
          + " Maven, MAVEN_OPTS=-Xmx64m) or use the object-copy transport.");
    }
  }

  /** An eighth of the heap, within {@link #MIN_SLICE} and {@link #MAX_SLICE}. */
  static int sliceSize() {
    long eighth = Runtime.getRuntime().maxMemory() / 8;
    return (int) Math.max(MIN_SLICE, Math.min(MAX_SLICE, eighth));
  }

  /**
   * Checks {@code actual} against what the object's metadata and the file's own metadata say;
   * either may be absent (files of the proof of concept have neither), but they must agree.
   */
  private static void verify(ObjectStore store, String key, Map<String, String> objectMetadata,
      Map<String, String> fileMetadata, String name, String actual, String found)
      throws CatalogIntegrityException {
    String fromObject = objectMetadata.get(name);
    String fromFile = fileMetadata.get(name);
    if (fromObject != null && !fromObject.equalsIgnoreCase(actual)) {
      throw CatalogIntegrityException.corrupt(store, key, found + " but its object metadata says "
          + fromObject);
    }
    if (fromFile != null && !fromFile.equalsIgnoreCase(actual)) {
      throw CatalogIntegrityException.corrupt(store, key, found + " but its Parquet metadata says "
          + fromFile);
    }
  }

  private static Map<String, String> columns(Connection duckdb, String file) throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    try (Statement statement = duckdb.createStatement();
        ResultSet rows = statement.executeQuery(
            "DESCRIBE SELECT * FROM read_parquet(" + file + ")")) {
      while (rows.next()) {
        columns.put(rows.getString("column_name"), rows.getString("column_type"));
      }
    }
    return columns;
  }

  private static Map<String, String> keyValueMetadata(Connection duckdb, String file)
      throws SQLException {
    Map<String, String> metadata = new LinkedHashMap<>();
    try (Statement statement = duckdb.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT key, value FROM parquet_kv_metadata(" + file + ")")) {
      while (rows.next()) {
        byte[] name = rows.getBytes(1);
        byte[] value = rows.getBytes(2);
        if (name != null && value != null) {
          metadata.put(new String(name, StandardCharsets.UTF_8),
              new String(value, StandardCharsets.UTF_8));
        }
      }
    }
    return metadata;
  }

  /**
   * An in-memory DuckDB just for this transfer, spilling only into the private scratch
   * directory; one thread keeps at most one row group of the Parquet writer in memory.
   */
  private static Connection open(Path scratch) throws IOException {
    try {
      Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
      try (Statement statement = duckdb.createStatement()) {
        statement.execute("SET threads = 1");
        statement.execute("SET temp_directory = "
            + Sql.literal(scratch.resolve("duckdb-tmp").toString()));
        return duckdb;
      } catch (SQLException e) {
        Sql.closeQuietly(duckdb);
        throw e;
      }
    } catch (SQLException e) {
      throw new IOException("Cannot open an in-memory DuckDB for the parquet-blob transport: "
          + reason(e), e);
    }
  }

  private Path scratchDirectory() throws IOException {
    return LocalFiles.createPrivateTempDirectory(options.workDirectory(), "lea-parquet-");
  }

  /**
   * DuckDB's own reason: its JDBC driver may put a generic "unsuccessful pending query" line
   * first and the real error on a later {@code Error:} line; the SQL echo that follows is noise.
   */
  private static String reason(SQLException e) {
    String message = e.getMessage() == null ? "no message" : e.getMessage();
    String[] lines = message.split("\n");
    for (String line : lines) {
      if (line.startsWith("Error: ")) {
        return line.substring("Error: ".length()).trim();
      }
    }
    return lines[0].trim();
  }
}
