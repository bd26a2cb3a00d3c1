package dev.lea.store.s3;

import dev.lea.store.Capability;
import dev.lea.store.ForwardingObjectStore;
import dev.lea.store.ObjectStore;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** A store that claims one capability less than the store it delegates every call to. */
final class WithoutCapability extends ForwardingObjectStore {

  private final Set<Capability> capabilities;

  WithoutCapability(ObjectStore store, Capability withdrawn) {
    super(store);
    EnumSet<Capability> remaining = EnumSet.noneOf(Capability.class);
    remaining.addAll(store.capabilities());
    remaining.remove(withdrawn);
    this.capabilities = Collections.unmodifiableSet(remaining);
  }

  @Override
  public String describe() {
    return delegate.describe() + " (S3Proxy)";
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }
}
