package dev.lea.sync;

import dev.lea.store.Condition;
import dev.lea.store.ForwardingObjectStore;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The store a transport uploads a catalog through, counting the bytes of a file upload as the
 * store sends them ({@link ObjectStore#put(String, Path, Map, Condition, LongAdder)}), so the
 * store's own path (zero-copy, parts from file slices) is kept. Only a file upload is the
 * catalog's bytes one for one: a compressed or chunked upload streams other bytes, and its
 * progress stays unknown, as it does until a store that counts only at the end is done. Closing
 * it leaves the store open; the session owns it.
 */
final class UploadMeter extends ForwardingObjectStore {

  private final LongAdder sent = new LongAdder();

  UploadMeter(ObjectStore store) {
    super(store);
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
    return delegate.put(key, file, metadata, condition, sent);
  }

  @Override
  public void close() {}
}
