package dev.lea.store.gcs;

import dev.lea.config.LeaConfig;
import dev.lea.config.Setting;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStoreProvider;
import java.util.List;
import java.util.Set;

/** Serves {@code gs://bucket/key} URLs. */
public final class GcsObjectStoreProvider implements ObjectStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("gs");
  }

  @Override
  public ObjectStore open(Location location, LeaConfig config) {
    return new GcsObjectStore(GcsClients.open(location, config), location.bucket());
  }

  @Override
  public List<Setting> settings() {
    return GcsSettings.ALL;
  }
}
