package dev.lea.lock;

import dev.lea.store.ObjectStore;
import java.util.Optional;

/**
 * A strategy that keeps no lock object: acquiring only refuses the lock's reserved key as a
 * catalog and says what the run risks; the handle fences the upload on the downloaded version, or
 * not.
 */
abstract class LocklessStrategy implements LockStrategy {

  private final boolean fenced;

  LocklessStrategy(boolean fenced) {
    this.fenced = fenced;
  }

  @Override
  public final CatalogLock acquire(LockRequest request) {
    LockFiles.refuseReserved(request.store(), request.catalogKey());
    risk(request.store(), request.catalogKey()).ifPresent(request.reporter()::warn);
    return new FencedLock(fenced);
  }

  /** What a run on {@code store} may lose to a concurrent writer; empty when nothing. */
  abstract Optional<String> risk(ObjectStore store, String catalogKey);
}
