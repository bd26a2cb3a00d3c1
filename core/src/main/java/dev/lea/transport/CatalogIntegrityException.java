package dev.lea.transport;

import dev.lea.store.ObjectStore;
import java.io.IOException;

/** A remote catalog is corrupt, truncated, or not what its metadata says. */
public class CatalogIntegrityException extends IOException {

  public CatalogIntegrityException(String message) {
    super(message);
  }

  public CatalogIntegrityException(String message, Throwable cause) {
    super(message, cause);
  }

  static CatalogIntegrityException corrupt(ObjectStore store, String key, String reason) {
    return corrupt(store, key, reason, null);
  }

  static CatalogIntegrityException corrupt(
      ObjectStore store, String key, String reason, Throwable cause) {
    return new CatalogIntegrityException("Cannot download catalog " + store.describe() + "/" + key
        + ": " + reason + ". The remote object is corrupt or truncated; the local copy and cache"
        + " were left untouched. Restore the object from a backup or a .conflict-/.failed- copy"
        + " beside it.", cause);
  }

  static CatalogIntegrityException otherTransport(
      ObjectStore store, String key, String writtenBy, String configured) {
    return new CatalogIntegrityException("Cannot download catalog " + store.describe() + "/" + key
        + ": it was written by the '" + writtenBy + "' transport but '" + configured
        + "' is configured. Set lea.ducklake.transport=" + writtenBy + " (LEA_DUCKLAKE_TRANSPORT)"
        + " to read it.");
  }
}
