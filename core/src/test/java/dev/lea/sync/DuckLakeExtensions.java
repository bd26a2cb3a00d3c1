package dev.lea.sync;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lea.config.ConfigResolver;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.store.ObjectStore;
import dev.lea.store.ObjectStores;
import dev.lea.store.ReadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DuckDB's extension settings as a user's run finds them: from the environment
 * ({@code LEA_DUCKDB_EXTENSION_DIRECTORY}, {@code LEA_DUCKDB_ALLOW_UNSIGNED_EXTENSIONS},
 * {@code LEA_DUCKDB_EXTENSION_REPOSITORY}), through the one config resolver. Only these keys are
 * taken, so a developer's other {@code LEA_*} variables cannot steer a test.
 */
public final class DuckLakeExtensions {

  private static final List<String> KEYS = List.of(LeaSettings.EXTENSION_DIRECTORY,
      LeaSettings.ALLOW_UNSIGNED_EXTENSIONS, LeaSettings.EXTENSION_REPOSITORY);

  private static final Map<String, String> REASONS = new HashMap<>();

  private DuckLakeExtensions() {}

  /** The extension settings of this process's environment, as variables (for child processes). */
  public static Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>();
    for (String key : KEYS) {
      String name = LeaSettings.byProperty(key).environmentName();
      String value = System.getenv(name);
      if (value != null) {
        environment.put(name, value);
      }
    }
    return environment;
  }

  /** Defaults rooted at {@code projectDirectory} plus the environment's extension settings. */
  public static LeaConfig config(Path projectDirectory) {
    return ConfigResolver.builder()
        .projectDirectory(projectDirectory)
        .dotEnv(projectDirectory.resolve(".env-none"))
        .environment(environment())
        .resolve();
  }

  /**
   * Skips the calling test, naming DuckDB's reason, unless every extension loads with the
   * environment's settings.
   */
  public static void assumeLoadable(String... extensions) {
    notLoadable(extensions).ifPresent(reason -> assumeTrue(false, () -> reason
        + ", so this DuckLake test does not run (export LEA_DUCKDB_EXTENSION_DIRECTORY and"
        + " LEA_DUCKDB_ALLOW_UNSIGNED_EXTENSIONS, as .ci/run does when ../shared/duckdb-extensions"
        + " exists)"));
  }

  /**
   * Why the first of {@code extensions} that cannot be loaded with the environment's settings
   * cannot, with DuckDB's message; empty when all load. For the plugin's invoker selectors.
   */
  public static Optional<String> notLoadable(String... extensions) {
    for (String extension : extensions) {
      String reason = reasonNotLoadable(extension);
      if (reason != null) {
        return Optional.of("the DuckDB extension '" + extension + "' cannot be loaded here: "
            + reason);
      }
    }
    return Optional.empty();
  }

  /** The bytes of an object of a {@code file:} bucket (whose files carry a header) to a file. */
  public static void copyObject(Path bucket, String key, Path target) throws IOException {
    try (ObjectStore store = ObjectStores.file(bucket);
        ReadResult object = store.read(key, null)) {
      Files.copy(object.content(), target);
    }
  }

  private static synchronized String reasonNotLoadable(String extension) {
    return REASONS.computeIfAbsent(extension, name -> {
      LeaConfig config = config(Path.of("").toAbsolutePath());
      try (Connection connection = DuckDb.open(null, config)) {
        DuckDb.load(connection, name, config);
        return "";
      } catch (LeaException | SQLException e) {
        return e.getMessage();
      }
    }).transform(reason -> reason.isEmpty() ? null : reason);
  }
}
