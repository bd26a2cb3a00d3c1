package dev.lea.reliability;

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

  private static final class Faulty extends ForwardingObjectStore {
    private final String catalogKey;
    private final String faultAt;

    Faulty(ObjectStore delegate, String catalogKey, String faultAt) {
      super(delegate);
      this.catalogKey = catalogKey;
      this.faultAt = faultAt;
    }

    @Override
    public ReadResult read(String key, String ifNoneMatch) throws IOException {
      ReadResult result = delegate.read(key, ifNoneMatch);
      if (!key.equals(catalogKey) || !faultAt.equals("download")
          || result.status() != ReadResult.Status.FOUND) {
        return result;
      }
      return ReadResult.found(result.info(),
          Stall.at(result.content(), result.info().size() / 2, "FAULT-DOWNLOAD"));
    }

    @Override
    public ObjectInfo put(String key, InputStream content, long length,
        Map<String, String> metadata, Condition condition) throws IOException {
      if (key.equals(LockObjects.lockKey(catalogKey)) && faultAt.equals("heartbeat")
          && condition.type() == Condition.Type.IF_MATCH) {
        Stall.here("FAULT-HEARTBEAT");
      }
      return super.put(key, content, length, metadata, condition);
    }
  }
}
