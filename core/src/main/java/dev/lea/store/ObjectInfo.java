package dev.lea.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@code head} knows of an object. {@link #version()} changes on every write (S3 ETag, GCS
 * generation, a unique token for files). Metadata keys are lower case ASCII.
 */
public record ObjectInfo(
    String key, long size, String version, Instant lastModified, Map<String, String> metadata) {

  public ObjectInfo {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(version, "version");
    metadata = Map.copyOf(new TreeMap<>(metadata == null ? Map.of() : metadata));
  }
}
