package dev.lea.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A store that hands every call to another: a wrapper overrides only the calls it changes (the
 * session's upload meter, tests that watch, withhold or break one call). A file upload is left to
 * the interface's default, which streams the file through
 * {@link #put(String, InputStream, long, Map, Condition)}, so an override of that sees every
 * write; a wrapper that must keep the store's own file path overrides the file upload too.
 */
public abstract class ForwardingObjectStore implements ObjectStore {

  protected final ObjectStore delegate;

  protected ForwardingObjectStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public Set<Capability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public Optional<ObjectInfo> head(String key) throws IOException {
    return delegate.head(key);
  }

  @Override
  public ReadResult read(String key, String ifNoneMatch) throws IOException {
    return delegate.read(key, ifNoneMatch);
  }

  @Override
  public ObjectInfo put(String key, InputStream content, long length, Map<String, String> metadata,
      Condition condition) throws IOException {
    return delegate.put(key, content, length, metadata, condition);
  }

  @Override
  public void delete(String key, Condition condition) throws IOException {
    delegate.delete(key, condition);
  }

  @Override
  public List<ObjectInfo> list(String prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
