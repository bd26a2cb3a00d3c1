package dev.lea.sync;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a session started from: the remote catalog's version and what is known of its bytes (null
 * and unknown when none existed and the session starts fresh), and the identity and first bytes
 * of the local file right after it arrived (null when fresh), which tell an unchanged catalog
 * without reading it, and most changed ones without reading it twice.
 */
record Fetched(String version, CatalogDigest digest, FileIdentity identity, LeadingBytes head,
    boolean fromCache) {

  static Fetched fresh() {
    return new Fetched(null, CatalogDigest.UNKNOWN, null, null, false);
  }

  /** The remote's {@code version}, now at {@code local}. */
  static Fetched arrived(String version, CatalogDigest digest, Path local, boolean fromCache)
      throws IOException {
    return new Fetched(version, digest, FileIdentity.of(local), LeadingBytes.of(local),
        fromCache);
  }

  boolean isFresh() {
    return version == null;
  }
}
