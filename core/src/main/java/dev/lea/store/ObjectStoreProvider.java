package dev.lea.store;

import dev.lea.config.LeaConfig;
import dev.lea.config.Setting;
import dev.lea.config.SettingsContributor;
import java.util.List;
import java.util.Set;

/**
 * Opens stores for the URL schemes it serves; found through {@link java.util.ServiceLoader}. A
 * provider with settings of its own (endpoint, region) returns them from {@link #settings()} and
 * is listed as a {@link SettingsContributor} service too, so the resolver knows them.
 */
public interface ObjectStoreProvider extends SettingsContributor {

  /** The URL schemes served, e.g. {@code s3} and {@code r2}. */
  Set<String> schemes();

  /**
   * Opens the bucket of {@code location}. Settings (endpoints, regions) come from {@code config};
   * credentials from the platform's default chain, never from the config's logged values.
   */
  ObjectStore open(Location location, LeaConfig config);

  /** The settings this store reads beyond the built-in ones; none by default. */
  @Override
  default List<Setting> settings() {
    return List.of();
  }
}
