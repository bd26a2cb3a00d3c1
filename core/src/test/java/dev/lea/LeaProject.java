package dev.lea;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A lea project in a test's directory, as a user lays it out: {@code scripts/} and {@code tests/},
 * its warehouse file in a {@code file:} bucket and its cache beside them, so a test reads the
 * outcome as files.
 */
public final class LeaProject {

  private final Path directory;

  private LeaProject(Path directory) {
    this.directory = directory;
  }

  public static LeaProject in(Path directory) {
    return new LeaProject(directory);
  }

  /** Writes {@code scripts/<path>}, e.g. {@code script("core/numbers.sql", "SELECT 1 AS n")}. */
  public LeaProject script(String path, String sql) {
    return write("scripts/" + path, sql);
  }

  /** Writes the singular test {@code tests/<name>}. */
  public LeaProject test(String name, String sql) {
    return write("tests/" + name, sql);
  }

  private LeaProject write(String path, String text) {
    Path file = directory.resolve(path);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The warehouse at {@code file:bucket/warehouse.duckdb}, the cache in the project: a dev run. */
  public LeaConfig config() {
    return LeaConfig.defaults(directory)
        .with(LeaSettings.DUCKDB_PATH, "file:bucket/warehouse.duckdb")
        .with(LeaSettings.CACHE_DIR, directory.resolve("cache").toString());
  }

  /** {@link #config()} as a production run, so the bucket holds {@code warehouse.duckdb} itself. */
  public LeaConfig production() {
    return config().with(LeaSettings.PRODUCTION, "true");
  }
}
