package dev.lea.store;

import dev.lea.config.LeaConfig;
import java.util.Set;

/** Opens stores for the URL schemes it serves; found through {@link java.util.ServiceLoader}. */
public interface ObjectStoreProvider {

  /** The URL schemes served, e.g. {@code s3} and {@code r2}. */
  Set<String> schemes();

  /**
   * Opens the bucket of {@code location}. Settings (endpoints, regions) come from {@code config};
   * credentials from the platform's default chain, never from the config's logged values.
   */
  ObjectStore open(Location location, LeaConfig config);
}
