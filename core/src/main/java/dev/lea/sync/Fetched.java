package dev.lea.sync;

/**
 * What a session started from: the remote catalog's version and what is known of its bytes (null
 * and unknown when none existed and the session starts fresh), and the identity of the local
 * file right after it arrived (null when fresh), which tells an unchanged catalog without reading
 * it.
 */
record Fetched(String version, CatalogDigest digest, FileIdentity identity, boolean fromCache) {

  static Fetched fresh() {
    return new Fetched(null, CatalogDigest.UNKNOWN, null, false);
  }

  boolean isFresh() {
    return version == null;
  }
}
