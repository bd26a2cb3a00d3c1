package dev.lea.sync;

/**
 * What a session did with the catalog at the end. {@code where} is a URL or a local path a
 * person can act on; {@code message} says it in a sentence.
 */
public record SyncResult(Outcome outcome, String where, String version, long bytes,
    String message) {

  /** The catalog's fate. */
  public enum Outcome {
    /** Uploaded to the catalog key. */
    UPLOADED,
    /** Not uploaded: its bytes equal the downloaded catalog. */
    UNCHANGED,
    /** Not synced: the catalog is local or a Postgres database, or the session was read-only. */
    NOT_SYNCED,
    /** Uploaded beside the catalog key; the main catalog is untouched. */
    UPLOADED_ASIDE,
    /** Kept on local disk only; the remote catalog is untouched. */
    KEPT_LOCAL
  }
}
