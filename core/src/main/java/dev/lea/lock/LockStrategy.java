package dev.lea.lock;

import dev.lea.spi.LeaException;
import dev.lea.spi.Named;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import java.io.IOException;
import java.util.Optional;

/**
 * How writers of one catalog are kept apart. Stateless, found by {@link #name()} through
 * {@link java.util.ServiceLoader}; each {@link #acquire} returns a handle the caller releases.
 * Strategies that keep a lock object also let front-ends show and break it.
 */
public interface LockStrategy extends Named {

  /**
   * Takes the lock for a catalog, waiting up to {@code lea.lock.wait} when it is held.
   *
   * @throws LockHeldException when someone else holds a live lock and the wait ran out
   */
  CatalogLock acquire(LockRequest request) throws IOException;

  /** What a run of this strategy holds on {@code catalog}, said once near the top of its output. */
  default String describeHold(Location catalog, String runId) {
    return "Holding the " + name() + " lock on " + catalog + " as run " + runId
        + " until the catalog is uploaded.";
  }

  /** The lock that would keep a run of this strategy out of the catalog; empty when free. */
  default Optional<LockInfo> inspect(ObjectStore store, String catalogKey) throws IOException {
    return Optional.empty();
  }

  /**
   * Breaks the catalog's lock when it is a lock with id {@code id}, whatever its expiry; for a
   * holder that died or hangs.
   *
   * @return the lock that was removed
   * @throws LeaException a user error when there is no such lock (the message names what is there)
   */
  default LockInfo breakLock(ObjectStore store, String catalogKey, String id) throws IOException {
    throw LeaException.user("Cannot break the lock on " + store.describe() + "/" + catalogKey
        + ": lock strategy '" + name() + "' keeps no lock object, so there is nothing to break.");
  }
}
