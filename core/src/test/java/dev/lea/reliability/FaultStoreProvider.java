package dev.lea.reliability;

import dev.lea.config.LeaConfig;
import dev.lea.lock.LockFiles;
import dev.lea.store.Capability;
import dev.lea.store.Condition;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStoreProvider;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Crash-test instrumentation: scheme {@code fault://<bucket>/<key>} is the real file store under
 * {@code -Dlea.test.faultRoot}, except that it prints {@code FAULT-<POINT>} and blocks forever at
 * the point named by {@code -Dlea.test.faultAt}, so the parent test can SIGKILL the process
 * exactly there: {@code download} (halfway through reading the catalog's bytes) or {@code
 * heartbeat} (the first renewal of the lock object).
 */
public final class FaultStoreProvider implements ObjectStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("fault");
  }

  @Override
  public ObjectStore open(Location location, LeaConfig config) {
    Path root = Path.of(System.getProperty("lea.test.faultRoot")).resolve(location.bucket());
    ObjectStore files = ObjectStores.open(Location.of("file", root.toString(), location.key()),
        config);
    return new Faulty(files, location.key(), System.getProperty("lea.test.faultAt", ""));
  }

  static void block(String point) {
    System.out.println("FAULT-" + point);
    System.out.flush();
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Faulty implements ObjectStore {
    private final ObjectStore delegate;
    private final String catalogKey;
    private final String faultAt;

    Faulty(ObjectStore delegate, String catalogKey, String faultAt) {
      this.delegate = delegate;
      this.catalogKey = catalogKey;
      this.faultAt = faultAt;
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
      ReadResult result = delegate.read(key, ifNoneMatch);
      if (!key.equals(catalogKey) || !faultAt.equals("download")
          || result.status() != ReadResult.Status.FOUND) {
        return result;
      }
      long half = result.info().size() / 2;
      InputStream halting = new FilterInputStream(result.content()) {
        private long read;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (read >= half) {
            block("DOWNLOAD");
          }
          int n = super.read(b, off, (int) Math.min(len, Math.max(1, half - read)));
          if (n > 0) {
            read += n;
          }
          return n;
        }
      };
      return ReadResult.found(result.info(), halting);
    }

    @Override
    public ObjectInfo put(String key, InputStream content, long length,
        Map<String, String> metadata, Condition condition) throws IOException {
      if (key.equals(LockFiles.lockKey(catalogKey)) && faultAt.equals("heartbeat")
          && condition.type() == Condition.Type.IF_MATCH) {
        block("HEARTBEAT");
      }
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
}
