package dev.lea.sync;

/**
 * What a session started from: the remote catalog's version and SHA-256 (both null when none
 * existed and the session starts fresh), and the identity of the local file right after it
 * arrived (null when fresh), which tells an unchanged catalog without reading it.
 */
record Fetched(String version, String sha256, FileIdentity identity, boolean fromCache) {

  static Fetched fresh() {
    return new Fetched(null, null, null, false);
  }

  boolean isFresh() {
    return version == null;
  }
}
