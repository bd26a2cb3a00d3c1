package dev.lea.lock;

import dev.lea.config.LeaSettings;
import dev.lea.store.Capability;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import java.util.Optional;

/**
 * {@code conditional-write}: optimistic, no lock object. The upload succeeds only if the catalog
 * still has the version this run downloaded, so a concurrent writer's catalog is never overwritten.
 */
final class ConditionalWriteStrategy extends LocklessStrategy {

  ConditionalWriteStrategy() {
    super(true);
  }

  @Override
  public String name() {
    return "conditional-write";
  }

  @Override
  Optional<String> risk(ObjectStore store, String catalogKey) {
    if (store.supports(Capability.ATOMIC_IF_ABSENT) && store.supports(Capability.ATOMIC_IF_MATCH)) {
      return Optional.empty();
    }
    return Optional.of("Lock strategy 'conditional-write': " + store.describe()
        + " cannot check and write a version in one atomic step, so two uploads at the same"
        + " moment can still overwrite each other.");
  }

  @Override
  public String describeHold(Location catalog, String runId) {
    return "No lock object (" + LeaSettings.LOCK + "=conditional-write): the upload succeeds"
        + " only if " + catalog + " is still the version this run read.";
  }
}
