package dev.lea.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lea.internal.LocalFiles;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The object at a chunked catalog's key: which chunks, in order, make up the catalog. Stored as
 * compact JSON; its own SHA-256 is in the object's metadata, so a damaged manifest is refused
 * before any of its values is believed.
 */
record ChunkManifest(int version, String transport, String sha256, long size, String format,
    List<Entry> chunks) {

  static final int VERSION = 1;
  /** Object metadata: the SHA-256 of the manifest's own bytes. */
  static final String MANIFEST_SHA256 = "lea-manifest-sha256";

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** One chunk: its SHA-256 and size uncompressed, and how its object is compressed. */
  record Entry(String sha256, long size, String compression) {}

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A manifest of strings and numbers is always JSON", e);
    }
  }

  static String sha256Of(byte[] bytes) {
    return HexFormat.of().formatHex(LocalFiles.sha256().digest(bytes));
  }

  static boolean isSha256(String value) {
    return value != null && SHA256.matcher(value).matches();
  }

  /**
   * Parses and checks a manifest read from {@code info}: its bytes against the recorded SHA-256,
   * its structure, and its catalog SHA-256, size and format against the object's metadata.
   */
  static ChunkManifest parse(ObjectStore store, ObjectInfo info, byte[] bytes)
      throws CatalogIntegrityException {
    String key = info.key();
    Map<String, String> metadata = info.metadata();
    String recorded = metadata.get(MANIFEST_SHA256);
    String actual = sha256Of(bytes);
    if (recorded != null && !recorded.equals(actual)) {
      throw CatalogIntegrityException.corrupt(store, key, "its manifest's SHA-256 is " + actual
          + " but its metadata says " + recorded);
    }
    ChunkManifest manifest;
    try {
      manifest = JSON.readValue(bytes, ChunkManifest.class);
    } catch (JsonProcessingException e) {
      throw CatalogIntegrityException.corrupt(store, key, "its manifest is not valid JSON ("
          + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw CatalogIntegrityException.corrupt(store, key, "its manifest cannot be read ("
          + e.getMessage() + ")", e);
    }
    manifest.check(store, key, metadata);
    return manifest;
  }

  private void check(ObjectStore store, String key, Map<String, String> metadata)
      throws CatalogIntegrityException {
    if (version != VERSION) {
      throw CatalogIntegrityException.corrupt(store, key, "its manifest has format version "
          + version + " but this lea reads version " + VERSION + " (upgrade lea if it is newer)");
    }
    if (!ChunkedTransport.NAME.equals(transport)) {
      throw CatalogIntegrityException.corrupt(store, key, "its manifest names the transport '"
          + transport + "' instead of '" + ChunkedTransport.NAME + "'");
    }
    if (!isSha256(sha256) || size < 0 || format == null || chunks == null) {
      throw CatalogIntegrityException.corrupt(store, key, "its manifest lacks a valid sha256,"
          + " size, format or chunk list");
    }
    long total = 0;
    for (Entry chunk : chunks) {
      if (chunk == null || !isSha256(chunk.sha256()) || chunk.size() <= 0) {
        throw CatalogIntegrityException.corrupt(store, key, "its manifest lists an invalid chunk "
            + chunk);
      }
      try {
        Compression.named(chunk.compression());
      } catch (IllegalArgumentException e) {
        throw CatalogIntegrityException.corrupt(store, key, "its manifest names an unknown"
            + " compression '" + chunk.compression() + "'");
      }
      total += chunk.size();
    }
    if (total != size) {
      throw CatalogIntegrityException.corrupt(store, key, "its chunks add up to " + total
          + " bytes but its manifest says " + size);
    }
    agree(store, key, metadata, CatalogMetadata.SHA256, sha256);
    agree(store, key, metadata, CatalogMetadata.SIZE, Long.toString(size));
    agree(store, key, metadata, CatalogMetadata.FORMAT, format);
  }

  private static void agree(ObjectStore store, String key, Map<String, String> metadata,
      String name, String value) throws CatalogIntegrityException {
    String recorded = metadata.get(name);
    if (recorded != null && !recorded.equals(value)) {
      throw CatalogIntegrityException.corrupt(store, key, "its manifest says " + name + " "
          + value + " but its metadata says " + recorded);
    }
  }
}
