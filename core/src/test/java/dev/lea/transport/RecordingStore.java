package dev.lea.transport;

import dev.lea.store.Condition;
import dev.lea.store.ForwardingObjectStore;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.PreconditionFailedException;
import dev.lea.store.ReadResult;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Test instrumentation around a real store: records every write with the bytes the store
 * consumed, counts the bytes read, can refuse chosen writes as a crash would, and can run an
 * action (another writer) at the next listing or head.
 */
final class RecordingStore extends ForwardingObjectStore {

  /** A write the store received: how many content bytes it consumed and how it ended. */
  record Put(String key, long bytes, Condition condition, String outcome) {}

  /** Work that may fail, run inside a store call. */
  interface Action {
    void run() throws IOException;
  }

  /** Runs at the start of every read and put, on the calling thread. */
  interface Interceptor {
    void before(String operation, String key) throws IOException;
  }

  private final List<Put> puts = new CopyOnWriteArrayList<>();
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private final AtomicLong bytesRead = new AtomicLong();
  private volatile Predicate<String> failPuts = key -> false;
  private final AtomicReference<Action> atFirstList = new AtomicReference<>();
  private final AtomicReference<Action> atFirstHead = new AtomicReference<>();
  private volatile Interceptor interceptor = (operation, key) -> { };
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();

  RecordingStore(ObjectStore delegate) {
    super(delegate);
  }

  /** Writes to matching keys fail with an I/O error before reaching the store. */
  void failPutsTo(Predicate<String> keys) {
    failPuts = keys;
  }

  /** Runs {@code action} once, at the next listing, before the store lists. */
  void atNextList(Action action) {
    atFirstList.set(action);
  }

  /** Runs {@code action} once, at the next head, before the store answers. */
  void atNextHead(Action action) {
    atFirstHead.set(action);
  }

  void intercept(Interceptor interceptor) {
    this.interceptor = interceptor;
  }

  /** The most reads and puts that were under way at the same time. */
  int mostConcurrentTransfers() {
    return mostRunning.get();
  }

  List<Put> puts() {
    return List.copyOf(puts);
  }

  long bytesPut() {
    return puts.stream().mapToLong(Put::bytes).sum();
  }

  List<String> reads() {
    return List.copyOf(reads);
  }

  long bytesRead() {
    return bytesRead.get();
  }

  void reset() {
    puts.clear();
    reads.clear();
    bytesRead.set(0);
    mostRunning.set(0);
  }

  @Override
  public Optional<ObjectInfo> head(String key) throws IOException {
    runOnce(atFirstHead);
    return delegate.head(key);
  }

  @Override
  public ReadResult read(String key, String ifNoneMatch) throws IOException {
    enter();
    try {
      interceptor.before("read", key);
      ReadResult result = delegate.read(key, ifNoneMatch);
      reads.add(key);
      if (result.status() != ReadResult.Status.FOUND) {
        return result;
      }
      return ReadResult.found(result.info(), new Counting(result.content(), bytesRead));
    } finally {
      running.decrementAndGet();
    }
  }

  @Override
  public ObjectInfo put(String key, InputStream content, long length, Map<String, String> metadata,
      Condition condition) throws IOException {
    enter();
    try {
      interceptor.before("put", key);
      return record(key, content, length, metadata, condition);
    } finally {
      running.decrementAndGet();
    }
  }

  private void enter() {
    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
  }

  private ObjectInfo record(String key, InputStream content, long length,
      Map<String, String> metadata, Condition condition) throws IOException {
    if (failPuts.test(key)) {
      puts.add(new Put(key, 0, condition, "INJECTED_FAILURE"));
      throw new IOException("injected failure writing " + key);
    }
    AtomicLong consumed = new AtomicLong();
    try {
      ObjectInfo info = delegate.put(key, new Counting(content, consumed), length, metadata,
          condition);
      puts.add(new Put(key, consumed.get(), condition, "WRITTEN"));
      return info;
    } catch (PreconditionFailedException e) {
      puts.add(new Put(key, consumed.get(), condition, "PRECONDITION_FAILED"));
      throw e;
    }
  }

  @Override
  public List<ObjectInfo> list(String prefix) throws IOException {
    runOnce(atFirstList);
    return delegate.list(prefix);
  }

  private static void runOnce(AtomicReference<Action> once) throws IOException {
    Action action = once.getAndSet(null);
    if (action != null) {
      action.run();
    }
  }

  private static final class Counting extends FilterInputStream {

    private final AtomicLong count;

    Counting(InputStream in, AtomicLong count) {
      super(in);
      this.count = count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count.addAndGet(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count.addAndGet(skipped);
      return skipped;
    }
  }
}
