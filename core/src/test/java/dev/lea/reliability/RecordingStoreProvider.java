package dev.lea.reliability;

import dev.lea.config.LeaConfig;
import dev.lea.store.Condition;
import dev.lea.store.ForwardingObjectStore;
import dev.lea.store.Location;
import dev.lea.store.ObjectInfo;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStoreProvider;
import dev.lea.store.ObjectStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test instrumentation for secret scans: scheme {@code recording://<bucket>/<key>} is the real
 * file store under {@code <project directory>/<bucket>}, and every body and metadata value written
 * through it is kept in {@link #WRITTEN}, so a test can search all bytes lea sent to a store,
 * including lock bodies that are gone once the lock is released.
 */
public final class RecordingStoreProvider implements ObjectStoreProvider {

  /** One write: key, body and metadata as text. */
  record Write(String key, byte[] body, Map<String, String> metadata) {}

  static final List<Write> WRITTEN = new CopyOnWriteArrayList<>();

  @Override
  public Set<String> schemes() {
    return Set.of("recording");
  }

  @Override
  public ObjectStore open(Location location, LeaConfig config) {
    Path root = config.projectDirectory().resolve(location.bucket());
    ObjectStore files = ObjectStores.open(Location.of("file", root.toString(), location.key()),
        config);
    return new Recording(files);
  }

  private static final class Recording extends ForwardingObjectStore {

    Recording(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public ObjectInfo put(String key, InputStream content, long length,
        Map<String, String> metadata, Condition condition) throws IOException {
      byte[] body = content.readAllBytes();
      WRITTEN.add(new Write(key, body, Map.copyOf(metadata)));
      return super.put(key, new ByteArrayInputStream(body), body.length, metadata, condition);
    }
  }
}
