package dev.lea.store.s3;

import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ReadResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A store that claims one capability less than the store it delegates every call to. */
final class WithoutCapability implements ObjectStore {

  private final ObjectStore store;
  private final Set<Capability> capabilities;

  WithoutCapability(ObjectStore store, Capability withdrawn) {
    this.store = store;
    EnumSet<Capability> remaining = EnumSet.noneOf(Capability.class);
    remaining.addAll(store.capabilities());
    remaining.remove(withdrawn);
    this.capabilities = Collections.unmodifiableSet(remaining);
  }

  @Override
  public String describe() {
    return store.describe() + " (S3Proxy)";
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public Optional<ObjectInfo> head(String key) throws IOException {
    return store.head(key);
  }

  @Override
  public ReadResult read(String key, String ifNoneMatch) throws IOException {
    return store.read(key, ifNoneMatch);
  }

  @Override
  public ObjectInfo put(String key, InputStream content, long length, Map<String, String> metadata,
      Condition condition) throws IOException {
    return store.put(key, content, length, metadata, condition);
  }

  @Override
  public void delete(String key, Condition condition) throws IOException {
    store.delete(key, condition);
  }

  @Override
  public List<ObjectInfo> list(String prefix) throws IOException {
    return store.list(prefix);
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
