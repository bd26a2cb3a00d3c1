package dev.lea.sync;

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
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Test instrumentation for crash tests: scheme {@code pausing://<bucket>/<key>} is the real file
 * store under {@code -Dlea.test.pausingRoot}, except that it announces on stdout and then blocks
 * forever at the point named by {@code -Dlea.test.pauseAt}: {@code upload} (halfway through the
 * catalog's bytes), {@code chunk} (at the second chunk of a {@code chunked} upload, before
 * its manifest) or {@code release} (deleting the lock, after the upload), so the parent test
 * can SIGKILL the process exactly there.
 */
public final class PausingStoreProvider implements ObjectStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("pausing");
  }

  @Override
  public ObjectStore open(Location location, LeaConfig config) {
    Path root = Path.of(System.getProperty("lea.test.pausingRoot")).resolve(location.bucket());
    ObjectStore files = ObjectStores.open(Location.of("file", root.toString(), location.key()),
        config);
    return new Pausing(files, location.key(), System.getProperty("lea.test.pauseAt", ""));
  }

  private static final class Pausing implements ObjectStore {
    private final ObjectStore delegate;
    private final String catalogKey;
    private final String pauseAt;
    private final java.util.concurrent.atomic.AtomicInteger chunksWritten =
        new java.util.concurrent.atomic.AtomicInteger();

    Pausing(ObjectStore delegate, String catalogKey, String pauseAt) {
      this.delegate = delegate;
      this.catalogKey = catalogKey;
      this.pauseAt = pauseAt;
    }

    private static void pause(String what) {
      System.out.println("PAUSED-" + what);
      System.out.flush();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
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
    public ObjectInfo put(String key, InputStream content, long length,
        Map<String, String> metadata, Condition condition) throws IOException {
      if (pauseAt.equals("chunk") && key.startsWith(catalogKey + ".chunks/")
          && chunksWritten.incrementAndGet() == 2) {
        pause("CHUNK");
      }
      if (!key.equals(catalogKey) || !pauseAt.equals("upload")) {
        return delegate.put(key, content, length, metadata, condition);
      }
      InputStream pausing = new InputStream() {
        private long read;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (read >= length / 2) {
            pause("UPLOAD");
          }
          int n = content.read(b, off, (int) Math.min(len, Math.max(1, length / 2 - read)));
          if (n > 0) {
            read += n;
          }
          return n;
        }
      };
      return delegate.put(key, pausing, length, metadata, condition);
    }

    @Override
    public void delete(String key, Condition condition) throws IOException {
      if (key.equals(LockFiles.lockKey(catalogKey)) && pauseAt.equals("release")) {
        pause("RELEASE");
      }
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
