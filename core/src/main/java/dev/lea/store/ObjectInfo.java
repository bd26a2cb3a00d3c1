package dev.lea.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@code head} knows of an object. {@link #version()} changes on every write (S3 ETag, GCS
 * generation, a unique token for files). Metadata keys are lower case ASCII. {@link #crc32c()} is
 * the store's own CRC32C of the object's bytes, base64 of its four big-endian bytes (the form of
 * S3's {@code x-amz-checksum-crc32c} and GCS's {@code crc32c}), or {@code null} when the store
 * does not know it (see {@link Capability#CRC32C}).
 */
public record ObjectInfo(String key, long size, String version, Instant lastModified,
    Map<String, String> metadata, String crc32c) {

  public ObjectInfo {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(version, "version");
    metadata = Map.copyOf(new TreeMap<>(metadata == null ? Map.of() : metadata));
  }

  /** An object whose CRC32C the store does not know. */
  public ObjectInfo(
      String key, long size, String version, Instant lastModified, Map<String, String> metadata) {
    this(key, size, version, lastModified, metadata, null);
  }
}
