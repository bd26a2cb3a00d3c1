package dev.lea.transport;

import dev.lea.store.ObjectInfo;
import dev.lea.store.ReadResult;
import java.util.Optional;

/**
 * The outcome of {@link CatalogTransport#download}: {@code FOUND} (target written and verified),
 * {@code NOT_FOUND} (no remote catalog: start fresh) or {@code NOT_MODIFIED} (the caller's copy is
 * current). {@code info} is the remote object (null when not found); {@code sha256},
 * {@code size} and {@code crc32c} describe the uncompressed catalog when found. {@code sha256} is
 * computed while downloading when the writer recorded one or nothing at all vouches for the
 * bytes, and null when a CRC32C (the store's, or the one the writer recorded) did; {@code crc32c} (base64, as
 * {@link ObjectInfo#crc32c()}) is computed while downloading, null when the transport does not
 * compute it.
 */
public record Download(
    ReadResult.Status status, ObjectInfo info, String sha256, long size, String crc32c) {

  public Download(ReadResult.Status status, ObjectInfo info, String sha256, long size) {
    this(status, info, sha256, size, null);
  }

  public static Download notFound() {
    return new Download(ReadResult.Status.NOT_FOUND, null, null, -1);
  }

  public static Download notModified(ObjectInfo info) {
    return new Download(ReadResult.Status.NOT_MODIFIED, info, info.metadata().get(
        CatalogMetadata.SHA256), -1);
  }

  /** What a read that brought no content answers: not found, or not modified. */
  static Optional<Download> withoutContent(ReadResult read) {
    return switch (read.status()) {
      case NOT_FOUND -> Optional.of(notFound());
      case NOT_MODIFIED -> Optional.of(notModified(read.info()));
      default -> Optional.empty();
    };
  }
}
