package dev.lea.lock;

import dev.lea.store.Condition;
import java.util.Optional;

/**
 * A held lock: release it with {@link #close()}. Also the fence for the catalog upload: every
 * strategy but {@code none} writes the catalog only if it still has the version seen at download,
 * so a run that lost its lock cannot overwrite a newer catalog.
 */
public interface CatalogLock extends AutoCloseable {

  /**
   * The condition the catalog upload must use.
   *
   * @param versionAtDownload the catalog's version when this run downloaded it, or {@code null}
   *     when the run started fresh (no remote catalog)
   */
  Condition fence(String versionAtDownload);

  /** The lock object's body while one is held ({@code lock-file}), else empty. */
  Optional<LockInfo> info();

  /** False once the lock is known lost (a heartbeat found it taken over or deleted). */
  boolean isHeld();

  /**
   * Checks with the store, now, that the lock is still ours (renewing it where it has an expiry),
   * so a run that was paused past its TTL learns it before it uploads. False once lost.
   */
  default boolean confirm() {
    return isHeld();
  }

  /**
   * Stops renewing without releasing: the lock expires after its TTL. For a run stuck in a
   * transfer that might still land, so other runs can go on once the lock has expired.
   */
  default void abandon() {
    close();
  }

  /** Releases the lock if it is still ours; never deletes someone else's. Idempotent. */
  @Override
  void close();
}
