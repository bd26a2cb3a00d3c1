package dev.lea.lock;

import dev.lea.store.ObjectStore;
import java.io.IOException;
import java.util.Optional;

/**
 * Tests' view of the lock objects that {@code lock-file} and {@code conditional-write} keep beside
 * a catalog. {@link LockFiles} is package-private, since main code outside {@code dev.lea.lock}
 * reaches locks through {@link LockStrategy} only; tests elsewhere look at the objects directly.
 */
public final class LockObjects {

  private LockObjects() {}

  /** The key of the lock object that guards {@code catalogKey}. */
  public static String lockKey(String catalogKey) {
    return LockFiles.lockKey(catalogKey);
  }

  /** The current lock of a catalog, or empty when there is none. */
  public static Optional<LockInfo> inspect(ObjectStore store, String catalogKey)
      throws IOException {
    return LockFiles.inspect(store, catalogKey);
  }

  /** Deletes the lock of a catalog when its id is {@code id}, as {@code lea:unlock} does. */
  public static LockInfo breakLock(ObjectStore store, String catalogKey, String id)
      throws IOException {
    return LockFiles.breakLock(store, catalogKey, id);
  }
}
