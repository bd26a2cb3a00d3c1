package dev.lea.store;

import dev.lea.config.LeaConfig;
import dev.lea.internal.Providers;
import dev.lea.spi.LeaException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Opens the store for a location's scheme. */
public final class ObjectStores {

  /** The project's own store artifacts, by the schemes they serve. */
  private static final Map<String, String> ARTIFACTS =
      Map.of("s3", "lea-store-s3", "r2", "lea-store-s3", "gs", "lea-store-gcs");

  /** lea's own store; a provider holds no state, so one serves every lookup. */
  private static final List<ObjectStoreProvider> BUILT_INS = List.of(new FileObjectStoreProvider());

  private ObjectStores() {}

  public static ObjectStore open(Location location, LeaConfig config) {
    return provider(location.scheme()).open(location, config);
  }

  /** The {@code file:} store whose bucket is {@code directory}, for embedding and tests. */
  public static ObjectStore file(Path directory) {
    return new FileObjectStore(directory);
  }

  /**
   * The provider for {@code scheme}, or a user error listing the schemes on the classpath; for a
   * scheme one of lea's own store jars serves, the error says which jar to add and where.
   */
  public static ObjectStoreProvider provider(String scheme) {
    String artifact = ARTIFACTS.get(scheme);
    if (artifact != null && !schemes().contains(scheme)) {
      throw LeaException.user(missingArtifact(scheme, artifact));
    }
    return Providers.find(ObjectStoreProvider.class, BUILT_INS, "store scheme", scheme,
        ObjectStoreProvider::schemes);
  }

  public static Set<String> schemes() {
    return Providers.names(ObjectStoreProvider.class, BUILT_INS, ObjectStoreProvider::schemes);
  }

  private static String missingArtifact(String scheme, String artifact) {
    // Running from classes (tests, an IDE) there is no version to show, and a line to fill in
    // would be copied as is.
    String version = LeaVersion.current().map(v -> "<version>" + v + "</version>\n").orElse("");
    return "Cannot open a bucket of scheme '" + scheme + "': its store, dev.lea:" + artifact + ", is not on"
        + " the class path (available schemes: " + String.join(", ", schemes()) + "). Add it as"
        + " a dependency of the plugin in the project's pom.xml:\n"
        + "  <plugin>\n"
        + "    <groupId>dev.lea</groupId>\n"
        + "    <artifactId>lea-maven-plugin</artifactId>\n"
        + (version.isEmpty() ? "" : "    " + version)
        + "    <dependencies>\n"
        + "      <dependency>\n"
        + "        <groupId>dev.lea</groupId>\n"
        + "        <artifactId>" + artifact + "</artifactId>\n"
        + (version.isEmpty() ? "" : "        " + version)
        + "      </dependency>\n"
        + "    </dependencies>\n"
        + "  </plugin>\n"
        + "From Java, add dev.lea:" + artifact + " to the application's dependencies.";
  }
}
