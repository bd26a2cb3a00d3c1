package dev.lea.store;

/** What a store can guarantee; callers ask instead of checking implementation types. */
public enum Capability {
  /** {@link Condition#ifAbsent()} on put is checked and applied atomically. */
  ATOMIC_IF_ABSENT,
  /** {@link Condition#ifMatch(String)} on put is checked and applied atomically. */
  ATOMIC_IF_MATCH,
  /** {@link Condition#ifMatch(String)} on delete is supported (atomically). */
  CONDITIONAL_DELETE,
  /** {@link ObjectStore#read(String, String)} answers "not modified" for an unchanged version. */
  CONDITIONAL_GET,
  /** Objects can be listed by prefix. */
  LIST,
  /**
   * The store knows the CRC32C of each whole object, computed or checked by the store itself as
   * the bytes arrived: {@code put}, {@code head} and {@code read} report it as
   * {@link ObjectInfo#crc32c()} (a multipart upload reports the full object's CRC32C, not a
   * checksum of part checksums). Transports then verify downloads against it instead of hashing
   * the catalog in a separate pass before the upload.
   */
  CRC32C
}
