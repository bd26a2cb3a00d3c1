package dev.lea.lock;

import dev.lea.config.LeaSettings;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;

/** {@code none}: no coordination; concurrent runs overwrite each other's catalog. */
public final class NoLockStrategy implements LockStrategy {

  @Override
  public String name() {
    return "none";
  }

  @Override
  public CatalogLock acquire(LockRequest request) {
    ObjectStore store = request.store();
    LockFiles.refuseReserved(store, request.catalogKey());
    request.reporter().warn("Lock strategy 'none': runs writing " + store.describe() + "/"
        + request.catalogKey() + " are not coordinated, so when two run at once the last writer"
        + " wins and the other's changes are lost. Use lea.ducklake.lock=lock-file to keep"
        + " writers apart.");
    return new FencedLock(false);
  }

  @Override
  public String describeHold(Location catalog, String runId) {
    return "No lock (" + LeaSettings.LOCK + "=none): another run writing " + catalog
        + " at the same time would overwrite this one's work, or this one its.";
  }
}
