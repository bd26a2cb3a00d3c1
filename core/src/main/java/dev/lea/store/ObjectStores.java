package dev.lea.store;

import dev.lea.config.LeaConfig;
import dev.lea.spi.Providers;
import java.util.Set;

/** Opens the store for a location's scheme. */
public final class ObjectStores {

  private ObjectStores() {}

  public static ObjectStore open(Location location, LeaConfig config) {
    return provider(location.scheme()).open(location, config);
  }

  /** The provider for {@code scheme}, or a user error listing the schemes on the classpath. */
  public static ObjectStoreProvider provider(String scheme) {
    return Providers.find(ObjectStoreProvider.class, "store scheme", scheme, ObjectStoreProvider::schemes);
  }

  public static Set<String> schemes() {
    return Providers.names(ObjectStoreProvider.class, ObjectStoreProvider::schemes);
  }
}
