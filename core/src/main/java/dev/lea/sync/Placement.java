package dev.lea.sync;

import java.io.IOException;

/** Where an upload left the catalog: the store has it, refused it (a fence), or failed. */
sealed interface Placement {

  /**
   * The store holds the catalog at {@code key} as {@code version}; {@code digest} is what the
   * upload learnt of its bytes.
   */
  record Uploaded(String key, String version, long bytes, CatalogDigest digest)
      implements Placement {}

  /** The condition did not hold: another writer changed the key. Nothing was written. */
  record Refused(String key) implements Placement {}

  /** The store failed; the key may or may not have changed, so the file must be kept. */
  record Failed(String key, IOException error) implements Placement {}
}
