package dev.lea.policy;

import dev.lea.spi.Named;

/**
 * Where the catalog goes when a session fails (a script failed, an exception, an interrupt). In
 * every policy the run still fails and the lock is released; the policy only decides the catalog.
 */
public interface FailurePolicy extends Named {

  /** Decides where the failed run's catalog goes. */
  Disposition onFailure(FailureContext context);
}
