package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.store.Condition;
import dev.lea.store.ForwardingObjectStore;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStoreProvider;
import dev.lea.store.ObjectStores;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test instrumentation for the {@code counting:} scheme: a real {@code file:} store whose calls
 * are recorded, so tests can assert what a session sent to its store. A test registers a
 * directory and gets a bucket name for {@code counting://<bucket>/<key>} URLs.
 */
public final class CountingStoreProvider implements ObjectStoreProvider {

  /** One call to the store: the operation, the key, and how it ended. */
  public record Call(String operation, String key, String outcome) {}

  private record Bucket(Path directory, List<Call> calls) {}

  private static final Map<String, Bucket> BUCKETS = new ConcurrentHashMap<>();

  /** Serves {@code directory} as a new bucket; returns its name. */
  static String register(Path directory) {
    String name = "bucket-" + UUID.randomUUID().toString().substring(0, 8);
    BUCKETS.put(name, new Bucket(directory, new CopyOnWriteArrayList<>()));
    return name;
  }

  /** The calls made so far to {@code bucket} about {@code key}, in order. */
  static List<Call> calls(String bucket, String key) {
    return BUCKETS.get(bucket).calls().stream().filter(c -> c.key().equals(key)).toList();
  }

  static void reset(String bucket) {
    BUCKETS.get(bucket).calls().clear();
  }

  @Override
  public Set<String> schemes() {
    return Set.of("counting");
  }

  @Override
  public ObjectStore open(Location location, LeaConfig config) {
    Bucket bucket = BUCKETS.get(location.bucket());
    if (bucket == null) {
      throw new IllegalArgumentException("No counting bucket " + location.bucket());
    }
    return new Counting(ObjectStores.file(bucket.directory()), bucket.calls());
  }

  private static final class Counting extends ForwardingObjectStore {

    private final List<Call> calls;

    Counting(ObjectStore delegate, List<Call> calls) {
      super(delegate);
      this.calls = calls;
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws IOException {
      Optional<ObjectInfo> info = delegate.head(key);
      calls.add(new Call("head", key, info.isPresent() ? "FOUND" : "NOT_FOUND"));
      return info;
    }

    @Override
    public ReadResult read(String key, String ifNoneMatch) throws IOException {
      ReadResult result = delegate.read(key, ifNoneMatch);
      calls.add(new Call("read", key, result.status().name()));
      return result;
    }

    @Override
    public ObjectInfo put(String key, InputStream content, long length,
        Map<String, String> metadata, Condition condition) throws IOException {
      try {
        ObjectInfo info = delegate.put(key, content, length, metadata, condition);
        calls.add(new Call("put", key, "WRITTEN"));
        return info;
      } catch (PreconditionFailedException e) {
        calls.add(new Call("put", key, "PRECONDITION_FAILED"));
        throw e;
      }
    }

    @Override
    public void delete(String key, Condition condition) throws IOException {
      delegate.delete(key, condition);
      calls.add(new Call("delete", key, "DELETED"));
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
      calls.add(new Call("list", prefix, "LISTED"));
      return delegate.list(prefix);
    }
  }
}
