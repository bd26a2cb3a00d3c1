package dev.lea.sync;

import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ReadResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The store a transport uploads a catalog through, counting the bytes of a file upload as the
 * store sends them ({@link ObjectStore#put(String, Path, Map, Condition, LongAdder)}), so the
 * store's own path (zero-copy, parts from file slices) is kept. Only a file upload is the
 * catalog's bytes one for one: a compressed or chunked upload streams other bytes, and its
 * progress stays unknown, as it does until a store that counts only at the end is done. Closing
 * it leaves the store open; the session owns it.
 */
final class UploadMeter implements ObjectStore {

  private final ObjectStore store;
  private final LongAdder sent = new LongAdder();

  UploadMeter(ObjectStore store) {
    this.store = store;
  }

  Transfers.Meter meter(long total) {
    return new Transfers.Meter(() -> {
      long sum = sent.sum();
      return sum > 0 ? sum : -1;
    }, () -> total);
  }

  @Override
  public ObjectInfo put(String key, Path file, Map<String, String> metadata, Condition condition)
      throws IOException {
    return store.put(key, file, metadata, condition, sent);
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public Set<Capability> capabilities() {
    return store.capabilities();
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
  public ObjectInfo put(String key, InputStream content, long length,
      Map<String, String> metadata, Condition condition) throws IOException {
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
  public void close() {}
}
