package dev.lea.transport;

import dev.lea.store.ObjectStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Object metadata keys every transport writes, so that a reader needs no configuration to decode
 * and verify a catalog. Lower-case ASCII, as S3 user metadata requires.
 */
public final class CatalogMetadata {

  private CatalogMetadata() {}

  /**
   * SHA-256 of the uncompressed catalog file, lower-case hex; absent when the writer did not
   * compute it and a CRC32C vouches for the bytes instead: the store's own
   * ({@link dev.lea.store.ObjectInfo#crc32c()}), or the one recorded under {@link #CRC32C}.
   */
  public static final String SHA256 = "lea-sha256";
  /**
   * CRC32C of the uncompressed catalog file, base64 of its four big-endian bytes (the form of
   * {@link dev.lea.store.ObjectInfo#crc32c()}): what object-copy records, instead of a SHA-256,
   * on a store that keeps no CRC32C of its own. Several times cheaper than a SHA-256 to compute
   * before the upload, and checked on the download's own pass at no extra cost.
   */
  public static final String CRC32C = "lea-crc32c";
  /** Size in bytes of the uncompressed catalog file. */
  public static final String SIZE = "lea-size";
  /** {@code sqlite}, {@code duckdb} or {@code duckdb-warehouse}. */
  public static final String FORMAT = "lea-format";
  /** The transport that wrote the object. */
  public static final String TRANSPORT = "lea-transport";
  /**
   * {@code none}, {@code gzip} or {@code zstd}: of the object's bytes (object-copy) or of the
   * Parquet pages (parquet-blob).
   */
  public static final String COMPRESSION = "lea-compression";
  /** Who wrote the object: {@code user@host}. */
  public static final String WRITER = "lea-writer";

  /** {@code user@host} of this process, ASCII only (object metadata must be). */
  public static String writer() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "unknown-host";
    }
    String who = System.getProperty("user.name", "unknown") + "@" + host;
    return who.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /**
   * Whether an object with this metadata holds the catalog's bytes as they are (object-copy,
   * uncompressed), so that the store's checksum of the object is the catalog's.
   */
  public static boolean isVerbatim(Map<String, String> metadata) {
    return ObjectCopyTransport.NAME.equals(metadata.get(TRANSPORT))
        && Compression.NONE.metadataValue().equals(metadata.getOrDefault(COMPRESSION,
            Compression.NONE.metadataValue()));
  }

  /** The metadata of an upload of {@code catalog} by {@code transport}. */
  static Map<String, String> of(CatalogFile catalog, String transport, Compression compression) {
    return of(catalog, null, transport, compression);
  }

  /** As {@link #of(CatalogFile, String, Compression)}, recording {@code crc32c} when not null. */
  static Map<String, String> of(CatalogFile catalog, String crc32c, String transport,
      Compression compression) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (catalog.sha256() != null) {
      metadata.put(SHA256, catalog.sha256());
    }
    if (crc32c != null) {
      metadata.put(CRC32C, crc32c);
    }
    metadata.put(SIZE, Long.toString(catalog.size()));
    metadata.put(FORMAT, catalog.format());
    metadata.put(TRANSPORT, transport);
    metadata.put(COMPRESSION, compression.metadataValue());
    metadata.put(ObjectStore.WRITE_ID, UUID.randomUUID().toString());
    metadata.put(WRITER, writer());
    return metadata;
  }
}
