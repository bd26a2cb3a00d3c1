package dev.lea.lock;

import dev.lea.spi.Named;
import java.io.IOException;

/**
 * How writers of one catalog are kept apart. Stateless, found by {@link #name()} through
 * {@link java.util.ServiceLoader}; each {@link #acquire} returns a handle the caller releases.
 */
public interface LockStrategy extends Named {

  /**
   * Takes the lock for a catalog, waiting up to {@code lea.lock.wait} when it is held.
   *
   * @throws LockHeldException when someone else holds a live lock and the wait ran out
   */
  CatalogLock acquire(LockRequest request) throws IOException;
}
