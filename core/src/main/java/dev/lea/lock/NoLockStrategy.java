package dev.lea.lock;

import dev.lea.config.LeaSettings;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import java.util.Optional;

/** {@code none}: no coordination; concurrent runs overwrite each other's catalog. */
final class NoLockStrategy extends LocklessStrategy {

  NoLockStrategy() {
    super(false);
  }

  @Override
  public String name() {
    return "none";
  }

  @Override
  Optional<String> risk(ObjectStore store, String catalogKey) {
    return Optional.of("Lock strategy 'none': runs writing " + store.describe() + "/" + catalogKey
        + " are not coordinated, so when two run at once the last writer wins and the other's"
        + " changes are lost. Use lea.ducklake.lock=lock-file to keep writers apart.");
  }

  @Override
  public String describeHold(Location catalog, String runId) {
    return "No lock (" + LeaSettings.LOCK + "=none): another run writing " + catalog
        + " at the same time would overwrite this one's work, or this one its.";
  }
}
