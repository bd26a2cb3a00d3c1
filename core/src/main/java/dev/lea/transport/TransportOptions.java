package dev.lea.transport;

import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import java.nio.file.Path;

/**
 * The settings a transport reads, bound to it once by {@link CatalogTransport#withOptions} instead
 * of read from a configuration on every transfer.
 *
 * @param compression how uploads compress the catalog: {@code none}, {@code gzip} or {@code zstd}
 *     ({@code lea.ducklake.compression}); downloads follow what the object's metadata says
 * @param workDirectory where a transport puts its scratch files ({@code lea.workDir}), or
 *     {@code null} for the system's temporary directory
 */
public record TransportOptions(String compression, Path workDirectory) {

  /** What a transport found by name uses until options are bound. */
  public static final TransportOptions DEFAULTS =
      new TransportOptions(LeaSettings.COMPRESSION_DEFAULT, null);

  public TransportOptions {
    Compression.named(compression);
  }

  /** The options {@code config} sets. */
  public static TransportOptions of(LeaConfig config) {
    return new TransportOptions(config.get(LeaSettings.COMPRESSION),
        config.path(LeaSettings.WORK_DIR).orElse(null));
  }

  Compression codec() {
    return Compression.named(compression);
  }
}
