package dev.lea.sync;

import dev.lea.config.LeaConfig;
import dev.lea.lock.LockObjects;
import dev.lea.store.Condition;
import dev.lea.store.ForwardingObjectStore;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStoreProvider;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import dev.lea.testing.Stall;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test instrumentation for crash tests: scheme {@code pausing://<bucket>/<key>} is the real file
 * store under {@code -Dlea.test.pausingRoot}, except that it announces on stdout and then blocks
 * forever at the point named by {@code -Dlea.test.pauseAt}: {@code download} (halfway through
 * reading the catalog's bytes), {@code heartbeat} (the first renewal of the lock object),
 * {@code upload} (halfway through the catalog's bytes), {@code chunk} (at the second chunk of a
 * {@code chunked} upload, before its manifest) or {@code release} (deleting the lock, after the
 * upload), so the parent test can SIGKILL the process exactly there.
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

  private static final class Pausing extends ForwardingObjectStore {
    private final String catalogKey;
    private final String pauseAt;
    private final AtomicInteger chunksWritten = new AtomicInteger();

    Pausing(ObjectStore delegate, String catalogKey, String pauseAt) {
      super(delegate);
      this.catalogKey = catalogKey;
      this.pauseAt = pauseAt;
    }

    @Override
    public ReadResult read(String key, String ifNoneMatch) throws IOException {
      ReadResult result = delegate.read(key, ifNoneMatch);
      if (!key.equals(catalogKey) || !pauseAt.equals("download")
          || result.status() != ReadResult.Status.FOUND) {
        return result;
      }
      return ReadResult.found(result.info(),
          Stall.at(result.content(), result.info().size() / 2, "PAUSED-DOWNLOAD"));
    }

    @Override
    public ObjectInfo put(String key, InputStream content, long length,
        Map<String, String> metadata, Condition condition) throws IOException {
      if (key.equals(LockObjects.lockKey(catalogKey)) && pauseAt.equals("heartbeat")
          && condition.type() == Condition.Type.IF_MATCH) {
        Stall.here("PAUSED-HEARTBEAT");
      }
      if (pauseAt.equals("chunk") && key.startsWith(catalogKey + ".chunks/")
          && chunksWritten.incrementAndGet() == 2) {
        Stall.here("PAUSED-CHUNK");
      }
      InputStream body = key.equals(catalogKey) && pauseAt.equals("upload")
          ? Stall.at(content, length / 2, "PAUSED-UPLOAD") : content;
      return super.put(key, body, length, metadata, condition);
    }

    @Override
    public void delete(String key, Condition condition) throws IOException {
      if (key.equals(LockObjects.lockKey(catalogKey)) && pauseAt.equals("release")) {
        Stall.here("PAUSED-RELEASE");
      }
      super.delete(key, condition);
    }
  }
}
