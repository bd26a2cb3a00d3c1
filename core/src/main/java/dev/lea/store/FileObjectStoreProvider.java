package dev.lea.store;

import dev.lea.config.LeaConfig;
import java.nio.file.Path;
import java.util.Set;

/** Serves {@code file:} URLs: the bucket is the directory that holds the catalog file. */
final class FileObjectStoreProvider implements ObjectStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public ObjectStore open(Location location, LeaConfig config) {
    return new FileObjectStore(Path.of(location.bucket()));
  }
}
