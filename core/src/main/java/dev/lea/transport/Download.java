package dev.lea.transport;

import dev.lea.store.ObjectInfo;
import dev.lea.store.ReadResult;

/**
 * The outcome of {@link CatalogTransport#download}: {@code FOUND} (target written and verified),
 * {@code NOT_FOUND} (no remote catalog: start fresh) or {@code NOT_MODIFIED} (the caller's copy is
 * current). {@code info} is the remote object (null when not found); {@code sha256} and
 * {@code size} describe the uncompressed catalog when found.
 */
public record Download(ReadResult.Status status, ObjectInfo info, String sha256, long size) {

  public static Download notFound() {
    return new Download(ReadResult.Status.NOT_FOUND, null, null, -1);
  }

  public static Download notModified(ObjectInfo info) {
    return new Download(ReadResult.Status.NOT_MODIFIED, info, info.metadata().get(
        CatalogMetadata.SHA256), -1);
  }
}
